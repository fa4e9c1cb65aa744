#include "stream/events.h"

#include "mount/mountjson.h"

#include <cerrno>
#include <system_error>

namespace mountlab::stream {

Json session(const Json& facts)
{
    Json j;
    j["kind"] = "session";
    j["v"] = kVersion;
    j["tool"] = "mountlab";
    for (auto it = facts.begin(); it != facts.end(); ++it)
        j[it.key()] = it.value();
    return j;
}

Json mount_json(const Mount& m)
{
    // One source for the keys: the same writer as `tree --json`.
    JsonWriter w;
    w.begin_object();
    write_mount_fields(w, m, EmptyColumn::EmptyString);
    w.end_object();
    Json j = Json::parse(w.view());
    j["raw"] = m.raw;
    return j;
}

Json table(int step, const std::string& view, unsigned long long mntns, const std::vector<Mount>& mounts)
{
    Json list = Json::array();
    for (const Mount& m : mounts)
        list.push_back(mount_json(m));
    return Json{{"kind", "table"}, {"step", step}, {"view", view}, {"mntns", mntns}, {"mounts", std::move(list)}};
}

Json diff(int step, const std::string& view, const MountDiff& d)
{
    Json added = Json::array(), removed = Json::array(), changed = Json::array();
    for (const Mount& m : d.added)
        added.push_back(mount_json(m));
    for (const Mount& m : d.removed)
        removed.push_back(mount_json(m));
    for (const MountChange& c : d.changed)
        changed.push_back({{"before", mount_json(c.before)}, {"after", mount_json(c.after)}, {"fields", c.fields}});
    return Json{{"kind", "diff"},   {"step", step},         {"view", view},
                {"added", added},   {"removed", removed},   {"changed", changed}};
}

Json normal_mount_json(const NormalMount& m)
{
    return Json{{"target", m.target},           {"stack", m.stack},          {"parent_target", m.parent_target},
                {"fstype", m.fstype},           {"source", m.source},        {"fsroot", m.root},
                {"vfs-options", m.vfs_options}, {"fs-options", m.super_options}, {"propagation", m.propagation},
                {"peer_group", m.peer_group},   {"master", m.master}};
}

Json normal_diff(int step, const std::string& view, const NormalDiff& d)
{
    Json added = Json::array(), removed = Json::array(), changed = Json::array();
    for (const NormalMount& m : d.added)
        added.push_back(normal_mount_json(m));
    for (const NormalMount& m : d.removed)
        removed.push_back(normal_mount_json(m));
    for (const NormalChange& c : d.changed)
        changed.push_back({{"before", normal_mount_json(c.before)}, {"after", normal_mount_json(c.after)}, {"fields", c.fields}});
    return Json{{"kind", "diff"}, {"step", step},       {"view", view},       {"basis", "normalised"},
                {"added", added}, {"removed", removed}, {"changed", changed}};
}

Json log(const std::string& level, const std::string& message)
{
    return Json{{"kind", "log"}, {"level", level}, {"message", message}};
}

Sink json_lines(FILE* out)
{
    // A stream that cannot be written is lost for its reader: stop the run (the
    // caller's main reports it) rather than go on writing into nothing.
    return [out](const Json& e) {
        std::string line = e.dump(-1, ' ', false, Json::error_handler_t::replace);
        line.push_back('\n');
        if (fwrite(line.data(), 1, line.size(), out) != line.size() || fflush(out) != 0)
            throw std::system_error(errno ? errno : EIO, std::generic_category(), "write the event stream");
    };
}

} // namespace mountlab::stream
