// The commands a terminal's shell reports at each prompt (lab/commandreport.h): taken
// out of the output wherever two reads cut them, every other byte shown as it came
// (other escape sequences, a report that is not one, one too long), and the practice
// commands of the agent protocol parsed field by field.
#include "lab/commandreport.h"
#include "stream/command.h"
#include "testutil.h"

using namespace mountlab;
using lab::CommandReport;
using lab::CommandReportFilter;

namespace {
const std::string kReport = "\033]6973;3;1;42;   17  mount --make-rprivate /\a";
}

class TestCommandReport : public QObject {
    Q_OBJECT
private slots:
    void report_isTakenOut_whereverTheReadsCutIt()
    {
        const std::string stream = "out\r\n" + kReport + "\033[?2004h[container /]# ";
        for (size_t cut = 0; cut <= stream.size(); ++cut) {
            CommandReportFilter f;
            std::vector<CommandReport> found;
            std::string shown = f.feed(std::string_view(stream).substr(0, cut), found);
            shown += f.feed(std::string_view(stream).substr(cut), found);
            QCOMPARE(shown, std::string("out\r\n\033[?2004h[container /]# "));
            QCOMPARE(found.size(), size_t(1));
            QCOMPARE(found[0].n, 17L);
            QCOMPARE(found[0].text, std::string("mount --make-rprivate /"));
            QCOMPARE(found[0].exit, 3);
            QCOMPARE(found[0].shell_level, 1);
            QCOMPARE(found[0].pid, 42L);
        }
    }

    void byteByByte_twoReports_inOrder()
    {
        const std::string stream = kReport + "x" + "\033]6973;0;2;7;    1  a\r\nb\a";
        CommandReportFilter f;
        std::vector<CommandReport> found;
        std::string shown;
        for (char c : stream)
            shown += f.feed(std::string_view(&c, 1), found);
        QCOMPARE(shown, std::string("x"));
        QCOMPARE(found.size(), size_t(2));
        QCOMPARE(found[1].text, std::string("a\nb")); // the tty's \r\n is the command's \n
        QCOMPARE(found[1].shell_level, 2);
    }

    void anUnfinishedIntroducer_holdsNothingBack_andTheNextReportCounts()
    {
        CommandReportFilter f;
        std::vector<CommandReport> found;
        const std::string shown = f.feed("\033]6973;oops\033[0m$ " + kReport + "# ", found);
        QCOMPARE(shown, std::string("\033]6973;oops\033[0m$ # "));
        QCOMPARE(found.size(), size_t(1));
        QCOMPARE(found[0].n, 17L);
    }

    void emptyHistory_isAReportOfNoCommand()
    {
        CommandReportFilter f;
        std::vector<CommandReport> found;
        QCOMPARE(f.feed("\033]6973;0;1;5;\a$ ", found), std::string("$ "));
        QCOMPARE(found.size(), size_t(1));
        QCOMPARE(found[0].n, 0L);
    }

    void otherBytes_areShownAsTheyCame()
    {
        for (const std::string& s :
             {std::string("\033]0;title\a"), std::string("\033[31mred\033[0m"), std::string("\033]6973;x;1;2;  3  a\a"),
              std::string("\033]6973;0;1;2;no number\a"), std::string("\033]69\a"), std::string("\033\033]6973")}) {
            CommandReportFilter f;
            std::vector<CommandReport> found;
            std::string shown = f.feed(s, found);
            shown += f.take_pending();
            QCOMPARE(shown, s);
            QVERIFY(found.empty());
        }
    }

    void tooLong_isGivenUpOn_andShown()
    {
        CommandReportFilter f;
        std::vector<CommandReport> found;
        const std::string open = "\033]6973;0;1;2;    1  " + std::string(CommandReportFilter::kMaxReportBytes, 'a');
        const std::string shown = f.feed(open, found);
        QCOMPARE(shown.size() + f.take_pending().size(), open.size());
        QVERIFY(shown.size() > 0); // not all kept back
        QVERIFY(found.empty());
    }

    void promptCommand_isOneLine_withTheIntroducer()
    {
        const std::string pc = lab::command_report_prompt_command();
        QVERIFY(pc.find('\n') == std::string::npos);
        QVERIFY(pc.find("\\033]6973;") != std::string::npos);
        QVERIFY(pc.find("history 1") != std::string::npos);
    }

    void practiceCommands_parse_andSayWhatIsMissing()
    {
        auto p = stream::parse_command(R"({"cmd":"practice","lesson":"bind-mounts","exercise":"leaky-volume"})");
        QVERIFY(p);
        QCOMPARE(p->kind, stream::Command::Kind::Practice);
        QCOMPARE(p->exercise, std::string("leaky-volume"));
        auto bad = stream::parse_command(R"({"cmd":"practice","lesson":"bind-mounts"})");
        QVERIFY(!bad);
        QVERIFY(bad.error().message.find("\"exercise\"") != std::string::npos);
        bad = stream::parse_command(R"({"cmd":"practice","lesson":"l","exercise":3})");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.find("\"exercise\" is a string") != std::string::npos,
                 bad.error().message.c_str());
        for (const char* c : {"practice-check", "practice-submit", "practice-stop"})
            QVERIFY2(stream::parse_command(std::string(R"({"cmd":")") + c + "\"}"), c);
    }

    // What a command printed: after its line's echo, escape sequences and carriage
    // returns out, up to the report; the prompt before and the next one after are not.
    void output_isWhatTheCommandPrinted_betweenItsLineAndTheReport()
    {
        const std::string prompt = "\033[?2004h\033]0;root@labhost\a[container /]# ";
        const std::string stream =
            prompt + "ec\bcho hi; ls /x\r\n\033[?2004l\rhi\r\n\033[01;31mls: /x: No such file\033[0m\r\n" + kReport +
            prompt;
        for (size_t cut = 0; cut <= stream.size(); cut += 7) {
            CommandReportFilter f;
            std::vector<CommandReport> found;
            (void)f.feed(std::string_view(stream).substr(0, cut), found);
            (void)f.feed(std::string_view(stream).substr(cut), found);
            QCOMPARE(found.size(), size_t(1));
            QCOMPARE(found[0].output, std::string("hi\nls: /x: No such file\n"));
        }
        // Each report gets what came since the one before.
        CommandReportFilter f;
        std::vector<CommandReport> found;
        (void)f.feed("# a\r\none\r\n" + kReport + "# b\r\ntwo\r\n" + kReport, found);
        QCOMPARE(found.size(), size_t(2));
        QCOMPARE(found[0].output, std::string("one\n"));
        QCOMPARE(found[1].output, std::string("two\n"));
        // ESC ( B (tput sgr0's "ASCII set") leaves no stray byte.
        QCOMPARE(lab::command_output("# x\r\n\033[0m\033(Bok\r\n"), std::string("ok\n"));
        // A line never entered (no newline yet) printed nothing.
        QCOMPARE(lab::command_output("[container /]# typing"), std::string());
        // Capped.
        const std::string big = "x\n" + std::string(lab::kMaxOutputBytes * 2, 'y');
        QCOMPARE(lab::command_output(big).size(), lab::kMaxOutputBytes);
    }

    void tryCommands_parse()
    {
        auto t = stream::parse_command(R"({"cmd":"try","lesson":"propagation","index":1})");
        QVERIFY(t);
        QCOMPARE(t->kind, stream::Command::Kind::Try);
        QCOMPARE(t->index, 1L);
        QCOMPARE(t->lesson, std::string("propagation"));
        t = stream::parse_command(R"({"cmd":"try","index":4})");
        QVERIFY(t);
        QCOMPARE(t->lesson, std::string("walkthrough"));
        auto bad = stream::parse_command(R"({"cmd":"try","lesson":"propagation"})");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.find("\"index\"") != std::string::npos, bad.error().message.c_str());
        QVERIFY(stream::parse_command(R"({"cmd":"try-stop"})"));
    }
};

QTEST_GUILESS_MAIN(TestCommandReport)
#include "tst_command_report.moc"
