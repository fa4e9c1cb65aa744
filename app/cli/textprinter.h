// TextPrinter: the event stream as text for a terminal (mountlab-cli run).
#pragma once

#include "stream/events.h"

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace mountlab::cli {

class TextPrinter {
public:
    explicit TextPrinter(FILE* out);
    void operator()(const Json& event);

private:
    void print_step();
    void print_stage_heading(const std::string& stage);
    void print_question(const Json& predict, const std::vector<std::string>& choices);
    void print_what_it_does(const Json& begin, const Json& end);
    void print_result(const Json& end);
    void print_answer(const Json& predict, const std::vector<std::string>& choices);
    void print_findings(const Json& data);
    void print_diff(const Json& diff);
    void print_changed(const std::string& view, const Json& changed);
    void print_checks(const std::vector<const Json*>& checks);
    [[nodiscard]] std::string paint(const char* code, const std::string& text) const;

    FILE* out_;
    bool color_;
    std::string stage_;
    std::vector<std::pair<std::string, std::string>> stages_; // the walkthrough's: id, title
    std::vector<Json> pending_;                               // this step's events, printed at its end
};

} // namespace mountlab::cli
