#include "lab/commandreport.h"

#include <charconv>

namespace mountlab::lab {

std::string command_report_prompt_command()
{
    // $? first, before anything else sets it; `history 1` in a subshell (bash restores $?
    // for the next command after PROMPT_COMMAND). BEL and ESC are taken out of the
    // command's text so that it cannot end the sequence early.
    return "__mountlab_s=$?; __mountlab_c=$(HISTTIMEFORMAT= builtin history 1); "
           "builtin printf '\\033]6973;%s;%s;%s;%s\\007' \"$__mountlab_s\" \"${SHLVL:-1}\" \"$$\" "
           "\"${__mountlab_c//[$'\\a\\033']/}\"; builtin unset __mountlab_s __mountlab_c";
}

namespace {

bool parse_long(std::string_view s, long& out)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    if (s.empty())
        return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

// The field up to the next ';', consumed with it.
std::string_view next_field(std::string_view& s)
{
    const size_t semi = s.find(';');
    const std::string_view f = s.substr(0, semi);
    s.remove_prefix(semi == std::string_view::npos ? s.size() : semi + 1);
    return f;
}

} // namespace

bool parse_command_report(std::string_view body, CommandReport& out)
{
    long exit = 0, level = 0, pid = 0;
    if (!parse_long(next_field(body), exit) || !parse_long(next_field(body), level) ||
        !parse_long(next_field(body), pid))
        return false;
    // "%5d  %s": the number, right-aligned, then two spaces. Empty: no command yet.
    if (body.empty()) {
        out = CommandReport{0, {}, static_cast<int>(exit), static_cast<int>(level), pid};
        return true;
    }
    size_t i = 0;
    while (i < body.size() && body[i] == ' ')
        ++i;
    const size_t digits = i;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9')
        ++i;
    if (i == digits || body.substr(i, 2) != "  ")
        return false;
    long n = 0;
    if (!parse_long(body.substr(digits, i - digits), n))
        return false;
    std::string text;
    for (std::string_view rest = body.substr(i + 2); !rest.empty(); rest.remove_prefix(1)) {
        // The tty wrote each \n as \r\n (ONLCR).
        if (rest.front() == '\r' && rest.size() > 1 && rest[1] == '\n')
            continue;
        text.push_back(rest.front());
    }
    out = CommandReport{n, std::move(text), static_cast<int>(exit), static_cast<int>(level), pid};
    return true;
}

std::string command_output(std::string_view shown)
{
    const size_t line_end = shown.find('\n');
    if (line_end == std::string_view::npos)
        return {};
    std::string out;
    for (size_t i = line_end + 1; i < shown.size() && out.size() < kMaxOutputBytes; ++i) {
        const char c = shown[i];
        if (c == '\r')
            continue;
        if (c != '\033') {
            out.push_back(c);
            continue;
        }
        if (i + 1 >= shown.size())
            break;
        const char kind = shown[i + 1];
        size_t j = i + 2;
        if (kind == '[') { // CSI: parameters, then a final byte 0x40..0x7e
            while (j < shown.size() && !(shown[j] >= 0x40 && shown[j] <= 0x7e))
                ++j;
        } else if (kind == ']') { // OSC: up to BEL or ESC backslash
            while (j < shown.size() && shown[j] != '\a' && !(shown[j] == '\033' && j + 1 < shown.size()))
                ++j;
            if (j < shown.size() && shown[j] == '\033')
                ++j;
        } else if (std::string_view("()*+#%").find(kind) != std::string_view::npos) {
            j = i + 2; // ESC, an intermediate and one byte (ESC ( B: the ASCII set)
        } else {
            j = i + 1; // ESC and one byte
        }
        i = j;
    }
    return out;
}

void CommandReportFilter::keep_shown(std::string_view shown)
{
    // The output is cut at kMaxOutputBytes anyway; the prompt and echo come first.
    const size_t room = 4 * kMaxOutputBytes > since_report_.size() ? 4 * kMaxOutputBytes - since_report_.size() : 0;
    since_report_.append(shown.substr(0, room));
}

std::string CommandReportFilter::feed(std::string_view bytes, std::vector<CommandReport>& found)
{
    std::string data = std::exchange(pending_, {});
    data.append(bytes);
    std::string shown;
    size_t pos = 0;
    size_t mark = 0; // where `shown` began after the last report
    while (pos < data.size()) {
        const size_t esc = data.find('\033', pos);
        if (esc == std::string::npos) {
            shown.append(data, pos);
            break;
        }
        shown.append(data, pos, esc - pos);
        const std::string_view from = std::string_view(data).substr(esc);
        const size_t common = std::min(from.size(), kCommandReportIntro.size());
        if (from.substr(0, common) != kCommandReportIntro.substr(0, common)) {
            shown.push_back('\033'); // another sequence: not ours
            pos = esc + 1;
            continue;
        }
        // A report's body holds no ESC or BEL (PROMPT_COMMAND takes them out): an ESC
        // before the BEL means this was no report, and scanning goes on from that ESC.
        const size_t bel = from.size() > kCommandReportIntro.size()
                               ? from.find_first_of("\a\033", kCommandReportIntro.size())
                               : std::string_view::npos;
        if (bel != std::string_view::npos && from[bel] == '\033') {
            shown.append(from.substr(0, bel));
            pos = esc + bel;
            continue;
        }
        if (bel == std::string_view::npos) {
            if (from.size() > kMaxReportBytes) { // no report is this long: show it as it is
                shown.push_back('\033');
                pos = esc + 1;
                continue;
            }
            pending_.assign(from); // the rest may come with the next read
            break;
        }
        CommandReport r;
        if (parse_command_report(from.substr(kCommandReportIntro.size(), bel - kCommandReportIntro.size()), r)) {
            keep_shown(std::string_view(shown).substr(mark));
            mark = shown.size();
            r.output = command_output(std::exchange(since_report_, {}));
            found.push_back(std::move(r));
        } else
            shown.append(from.substr(0, bel + 1)); // not a report after all: shown as sent
        pos = esc + bel + 1;
    }
    keep_shown(std::string_view(shown).substr(mark));
    return shown;
}

} // namespace mountlab::lab
