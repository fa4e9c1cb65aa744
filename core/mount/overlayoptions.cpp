#include "mount/overlayoptions.h"

namespace mountlab {

namespace {

// Splits at every `sep` not escaped by a backslash; the backslashes stay, for the
// next split to see.
std::vector<std::string_view> split_unescaped(std::string_view s, char sep)
{
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;
        } else if (s[i] == sep) {
            parts.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    parts.push_back(s.substr(start));
    return parts;
}

std::string unescape(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size())
            ++i;
        out += s[i];
    }
    return out;
}

bool take_prefix(std::string_view& s, std::string_view prefix)
{
    if (!s.starts_with(prefix))
        return false;
    s.remove_prefix(prefix.size());
    return true;
}

} // namespace

OverlayLayers overlay_layers(std::string_view super_options)
{
    OverlayLayers layers;
    for (std::string_view o : split_unescaped(super_options, ',')) {
        if (take_prefix(o, "lowerdir=")) {
            // "a:b::d": a and b are layers; what follows "::" is data-only.
            for (std::string_view l : split_unescaped(o, ':')) {
                if (l.empty())
                    break;
                layers.lowers.push_back(unescape(l));
            }
        } else if (take_prefix(o, "lowerdir+=")) {
            layers.lowers.push_back(unescape(o));
        } else if (take_prefix(o, "upperdir=")) {
            layers.upper = unescape(o);
        } else if (take_prefix(o, "workdir=")) {
            layers.work = unescape(o);
        }
    }
    return layers;
}

} // namespace mountlab
