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
    [[nodiscard]] std::string paint(const char* code, const std::string& text) const;

    FILE* out_;
    bool color_;
    std::string stage_;
    std::vector<std::pair<std::string, std::string>> stages_; // the walkthrough's: id, title
    std::vector<Json> pending_;                               // this step's events, printed at its end
};

} // namespace mountlab::cli
