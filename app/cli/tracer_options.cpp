#include "tracer_options.h"

namespace mountlab::cli {

void add_tracer_options(CLI::App& app, std::string& how)
{
    app.add_option("--tracer", how,
                   "How to trace system calls: auto (eBPF in this process when root, else the tracer helper "
                   "mountlab-tracer through pkexec), engine, helper, or none")
        ->check(CLI::IsMember({"auto", "engine", "helper", "none"}));
    app.add_flag_callback(
        "--no-trace", [&how] { how = "none"; }, "Do not trace system calls (--tracer none)");
}

} // namespace mountlab::cli
