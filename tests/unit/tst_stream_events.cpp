// The event stream's builders (core/stream/events.h, traceevents.h): each emits exactly
// the keys core/stream/README.md documents, in that order, with those types, and the
// lines they make are byte for byte the ones recordings hold. A key renamed, dropped,
// moved or retyped in a builder fails here.
#include "base/jsonwriter.h"
#include "stream/events.h"
#include "stream/traceevents.h"
#include "testutil.h"

#include <cerrno>
#include <string>

using namespace mountlab;

namespace {

std::string type_of(const Json& v)
{
    if (v.is_null())
        return "null";
    if (v.is_boolean())
        return "bool";
    if (v.is_number_integer())
        return "int"; // signed or unsigned: both print as a plain integer
    if (v.is_number())
        return "number";
    if (v.is_string())
        return "string";
    if (v.is_array())
        return "array";
    return "object";
}

// "key:type key:type ...", in the object's order: the shape a reader relies on.
QString shape(const Json& j)
{
    std::string out;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!out.empty())
            out += ' ';
        out += it.key() + ':' + type_of(it.value());
    }
    return QString::fromStdString(out);
}

QString line(const Json& j) { return QString::fromStdString(j.dump()); }

Mount tmpfs_at(const std::string& target)
{
    Mount m;
    m.id = 62;
    m.parent_id = 1;
    m.target = target;
    m.fstype = "tmpfs";
    m.source = "leak";
    m.root = "/";
    return m;
}

Json prediction()
{
    return Json{{"question", "Does it leak?"}, {"choices", {"yes", "no"}}, {"answer", 0}, {"why", "rshared"}};
}

} // namespace

class TestStreamEvents : public QObject {
    Q_OBJECT
private slots:
    void stepBegin_hasTheDocumentedKeys_andLessonAndPredictOnlyWhenSet()
    {
        stream::StepBegin b{2,
                            "propagation",
                            "leak",
                            "Mount a tmpfs",
                            "mount -t tmpfs leak /mnt/leak",
                            "mount(...)",
                            "It leaks.",
                            "container",
                            Json{{"op", "mount"}}};
        QCOMPARE(shape(stream::step_begin(b)), "kind:string phase:string step:int stage:string id:string title:string "
                                               "shell:string syscall:string explain:string where:string op:object");
        b.lesson = "walkthrough";
        QCOMPARE(shape(stream::step_begin(b)).endsWith("op:object"), true); // no index: no place
        b.index = 3;
        b.predict = prediction();
        const Json j = stream::step_begin(b);
        QVERIFY(shape(j).endsWith("op:object lesson:string index:int predict:object"));
        QCOMPARE(j["kind"], "step");
        QCOMPARE(j["phase"], "begin");
        QCOMPARE(j["index"], 3);
        QCOMPARE(line(stream::step_begin({1, "s", "i", "t", "", "", "", "lab", Json::array()})),
                 R"({"kind":"step","phase":"begin","step":1,"stage":"s","id":"i","title":"t","shell":"","syscall":"",)"
                 R"("explain":"","where":"lab","op":[]})");
    }

    void stepEnd_hasTheDocumentedKeys_errnoNullOrItsName()
    {
        stream::StepEnd e;
        e.step = 2;
        e.duration_us = 190;
        e.calls = {R"(mount("leak", "/mnt/leak", "tmpfs", 0, NULL) = 0)"};
        QCOMPARE(shape(stream::step_end(e)), "kind:string phase:string step:int ok:bool errno:null error:string "
                                             "cause:string duration_us:int passed:bool calls:array data:object");
        // (moc misreads a backslash in a raw string: this line is an ordinary literal)
        const QString expected =
            "{\"kind\":\"step\",\"phase\":\"end\",\"step\":2,\"ok\":true,\"errno\":null,"
            "\"error\":\"\",\"cause\":\"\",\"duration_us\":190,\"passed\":true,\"calls\":"
            "[\"mount(\\\"leak\\\", \\\"/mnt/leak\\\", \\\"tmpfs\\\", 0, NULL) = 0\"],\"data\":{}}";
        QCOMPARE(line(stream::step_end(e)), expected);
        e.ok = false;
        e.err = EBUSY;
        e.passed = false;
        const Json j = stream::step_end(e);
        QCOMPARE(j["errno"], "EBUSY");
        QCOMPARE(j["ok"], false);
        QCOMPARE(j["passed"], false);
    }

    void check_hasTheDocumentedKeys()
    {
        QCOMPARE(
            line(stream::check({2, "the lab host has tmpfs mounted on /mnt/leak", true, ""})),
            R"({"kind":"check","step":2,"name":"the lab host has tmpfs mounted on /mnt/leak","passed":true,"message":""})");
    }

    void copyup_hasTheDocumentedKeys_lowerNullWithoutOne()
    {
        stream::CopyUp c{
            8, "/merged", "/upper", {"/l/app", "/l/base"}, {{"/etc/motd", "copied-up", "/upper/etc/motd"}}};
        QCOMPARE(shape(stream::copyup(c)),
                 "kind:string step:int overlay:string upperdir:string lowerdirs:array changes:array lower:null");
        QCOMPARE(shape(stream::copyup(c)["changes"][0]), "path:string kind:string upper_path:string");
        c.lower = stream::LowerFile{"/l/base", "/l/base/etc/motd", true};
        QCOMPARE(
            line(stream::copyup(c)),
            R"({"kind":"copyup","step":8,"overlay":"/merged","upperdir":"/upper","lowerdirs":["/l/app","/l/base"],)"
            R"("changes":[{"path":"/etc/motd","kind":"copied-up","upper_path":"/upper/etc/motd"}],)"
            R"("lower":{"layer":"/l/base","path":"/l/base/etc/motd","unchanged":true}})");
    }

    void terminal_opened_data_closed_haveTheDocumentedKeys()
    {
        QCOMPARE(
            line(stream::terminal_opened({1, "container", "/bin/sh", 3, 24, 80})),
            R"({"kind":"terminal","id":1,"opened":true,"where":"container","shell":"/bin/sh","pid":3,"rows":24,"cols":80})");
        // Bytes as the PTY wrote them, base64 with padding: escapes and invalid UTF-8 too.
        QCOMPARE(line(stream::terminal_data(1, std::string("\x1b[31mred\x1b[0m\xff\n"))),
                 R"({"kind":"terminal","id":1,"data":"G1szMW1yZWQbWzBt/wo="})");
        QCOMPARE(line(stream::terminal_closed({1, 0, "exit"})),
                 R"({"kind":"terminal","id":1,"closed":true,"exit":0,"reason":"exit"})");
        QCOMPARE(line(stream::terminal_closed({2, std::nullopt, "reset"})),
                 R"({"kind":"terminal","id":2,"closed":true,"exit":null,"reason":"reset"})");
    }

    void command_practice_practiceGrade_haveTheDocumentedKeys()
    {
        QCOMPARE(
            line(stream::command({1, "container", 12, "mount --make-rprivate /", 0, 2})),
            R"({"kind":"command","terminal":1,"where":"container","n":12,"text":"mount --make-rprivate /","exit":0,"level":2,"nested":true})");
        QCOMPARE(line(stream::terminal_opened({1, "container", "/bin/bash", 3, 24, 80, true}))
                     .endsWith(R"("cols":80,"pid_namespace":true})"),
                 true);
        stream::PracticeState p;
        p.active = true;
        p.checks.push_back({"a check", 0, 4, false, false, "judged when you submit", "advice"});
        QCOMPARE(shape(stream::practice(p)),
                 "kind:string active:bool lesson:string exercise:string title:string task:string hints:array "
                 "reason:string score:int max:int commands:int after:array trace:string checks:array");
        QCOMPARE(shape(stream::practice(p)["checks"][0]),
                 "name:string points:int max:int passed:bool live:bool message:string feedback:string");
        p.solution = "mount --make-rprivate /\n";
        QVERIFY(stream::practice(p).contains("solution")); // only when the lesson gives one
        QCOMPARE(shape(stream::practice_grade("l", "e", "#!/bin/bash\n", Json::object())),
                 "kind:string lesson:string exercise:string script:string result:object");
    }

    void tables_and_diffs_haveTheDocumentedKeys()
    {
        const std::vector<Mount> mounts{tmpfs_at("/mnt/leak")};
        QCOMPARE(shape(stream::table(2, "host", 4026532177ull, mounts)),
                 "kind:string step:int view:string mntns:int mounts:array");
        QCOMPARE(shape(stream::table(2, "container", 1, mounts, stream::ViewProcess{9, "bash"})),
                 "kind:string step:int view:string mntns:int mounts:array pid:int comm:string");
        const Json m = stream::table(2, "host", 1, mounts)["mounts"][0];
        for (const char* key :
             {"id", "parent", "target", "source", "fstype", "options", "propagation", "opt-fields", "maj:min", "fsroot",
              "vfs-options", "fs-options", "peer_group", "master", "propagate_from", "unbindable", "raw"})
            QVERIFY2(m.contains(key), key);
        MountDiff d;
        d.added = mounts;
        QCOMPARE(shape(stream::diff(2, "host", d)),
                 "kind:string step:int view:string added:array removed:array changed:array");
        QCOMPARE(shape(stream::normal_diff(2, "container", NormalDiff{})),
                 "kind:string step:int view:string basis:string added:array removed:array changed:array");
    }

    void catalogue_walkthroughAndLesson_haveTheDocumentedKeys()
    {
        const Json w = stream::walkthrough(
            {{"unshare", "A mount namespace of its own"}},
            {{0, "unshare", "new-ns", "t", "unshare -m", "unshare(CLONE_NEWNS)", "x", "container", prediction()},
             {1, "unshare", "look", "t", "", "", "", "container", Json()}});
        QCOMPARE(shape(w), "kind:string stages:array steps:array");
        QCOMPARE(shape(w["stages"][0]), "id:string title:string");
        QCOMPARE(shape(w["steps"][0]), "index:int stage:string id:string title:string shell:string syscall:string "
                                       "explain:string where:string predict:object");
        QCOMPARE(shape(w["steps"][1]).endsWith("where:string"), true);

        stream::LessonInfo l{"propagation",
                             "Propagation",
                             "Peer groups.",
                             "lessons/10-propagation.yaml",
                             {"unshare"},
                             {{"leak", "t", "sh", "sc", "*md*", "container", Json()}},
                             {{"ex1", "Exercise", 3, "Do it.", {"a hint"}}}};
        const Json j = stream::lesson(l);
        QCOMPARE(shape(j), "kind:string id:string title:string summary:string file:string prerequisites:array "
                           "steps:array exercises:array");
        QCOMPARE(shape(j["steps"][0]), "id:string title:string shell:string syscall:string text:string where:string");
        QCOMPARE(shape(j["exercises"][0]), "id:string title:string points:int task:string hints:array");
    }

    void summary_log_error_lost_haveTheDocumentedKeys()
    {
        QCOMPARE(line(stream::summary({27, 0, 44312})),
                 R"({"kind":"summary","steps":27,"failed":0,"duration_us":44312})");
        QCOMPARE(line(stream::summary({3, 1})), R"({"kind":"summary","steps":3,"failed":1})");
        QCOMPARE(line(stream::log("warning", "w")), R"({"kind":"log","level":"warning","message":"w"})");
        QCOMPARE(line(stream::error({.line = 3, .message = "command on line 3: bad"})),
                 R"({"kind":"error","line":3,"message":"command on line 3: bad"})");
        QCOMPARE(line(stream::error({.fatal = true, .err = EPERM, .message = "no"})),
                 R"({"kind":"error","fatal":true,"errno":"EPERM","message":"no"})");
        QCOMPARE(line(stream::error({.fatal = true, .message = "no"})),
                 R"({"kind":"error","fatal":true,"message":"no"})");
        QCOMPARE(line(stream::lost(5)), R"({"kind":"lost","count":5})");
        QCOMPARE(line(stream::lost(std::nullopt)), R"({"kind":"lost","count":null})");
    }

    void session_startsWithKindAndVersion()
    {
        QCOMPARE(line(stream::session(Json{{"rootless", true}})),
                 R"({"kind":"session","v":1,"tool":"mountlab","rootless":true})");
    }

    void syscall_hasTheDocumentedKeys_andTextInTheStream()
    {
        trace::SyscallEvent e;
        e.name = "umount2";
        e.args = {{"target", trace::SyscallArg::Kind::String, "/mnt", 0, true},
                  {"flags", trace::SyscallArg::Kind::Symbol, "MNT_DETACH"}};
        e.err = EINVAL;
        e.ret = -EINVAL;
        e.pid = e.tid = 7;
        e.comm = "container";
        JsonWriter w;
        stream::write_syscall(w, e);
        QCOMPARE(QString::fromUtf8(w.view().data(), static_cast<int>(w.view().size())),
                 R"({"kind":"syscall","name":"umount2","args":{"target":"/mnt","flags":"MNT_DETACH"},"ret":-1,)"
                 R"("errno":"EINVAL","truncated":["target"],"pid":7,"tid":7,"comm":"container","mntns_before":0,)"
                 R"("mntns_after":0,"ts_ns":0,"latency_ns":0})");
        const Json j = stream::syscall(e);
        QVERIFY(shape(j).endsWith("ts_ns:int latency_ns:int text:string"));
        QCOMPARE(j["text"], R"(umount2("/mnt"..., MNT_DETACH) = -1 EINVAL)");
        // The tracer helper's line is the same object, text included, as JsonWriter writes it.
        JsonWriter t;
        stream::write_syscall(t, e, true);
        QCOMPARE(Json::parse(t.view()), j);
        e.kind = trace::SyscallEvent::Kind::Exec;
        QCOMPARE(stream::syscall(e)["kind"], "exec");
    }

    void tracerHelperLines_haveTheirKeys()
    {
        JsonWriter a, b, c;
        stream::write_tracer_ready(a, 42, 30, {"note"});
        stream::write_tracer_refused(b, "needs root");
        stream::write_sync(c, "/.mountlab-trace-sync/x-1");
        QCOMPARE(QString::fromStdString(a.str()),
                 R"({"kind":"tracer","ready":true,"tracing":42,"probes":30,"notes":["note"]})");
        QCOMPARE(QString::fromStdString(b.str()), R"({"kind":"tracer","ready":false,"error":"needs root"})");
        QCOMPARE(QString::fromStdString(c.str()), R"({"kind":"sync","mark":"/.mountlab-trace-sync/x-1"})");
    }
};

QTEST_GUILESS_MAIN(TestStreamEvents)
#include "tst_stream_events.moc"
