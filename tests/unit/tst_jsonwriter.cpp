// JsonWriter: output every JSON parser accepts, whatever bytes a path holds.
#include "base/jsonwriter.h"
#include "testutil.h"

#include <nlohmann/json.hpp>

using namespace mountlab;

class TestJsonWriter : public QObject {
    Q_OBJECT
private slots:
    void escapesControlAndQuotes()
    {
        JsonWriter w;
        w.begin_object();
        w.field("s", std::string_view("a\"b\\c\nd\te\x01"));
        w.field("n", 42);
        w.field("b", true);
        w.key("z");
        w.null();
        w.key("arr");
        w.begin_array();
        w.end_array();
        w.end_object();
        QCOMPARE(std::string(w.view()),
                 std::string("{\"s\":\"a\\\"b\\\\c\\nd\\te\\u0001\",\"n\":42,\"b\":true,\"z\":null,\"arr\":[]}"));
        auto j = nlohmann::json::parse(w.view());
        QCOMPARE(j["s"].get<std::string>(), std::string("a\"b\\c\nd\te\x01"));
    }

    void invalidUtf8_becomesReplacementCharacter()
    {
        JsonWriter w;
        w.value(std::string_view("ok \xc3\xa9 bad \xff \xc3 \xed\xa0\x80 end"));
        auto j = nlohmann::json::parse(w.view()); // throws on invalid UTF-8
        QCOMPARE(j.get<std::string>(),
                 std::string("ok \xc3\xa9 bad \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD end"));
    }

    // Plain runs are scanned 8 bytes at a time: a byte that needs escaping must be found
    // at every offset of a word, and next to every kind of neighbour.
    void everyOffsetOfAWord_findsTheByteToEscape()
    {
        for (const char special : {'"', '\\', '\x01', '\x1f', '\r', '\x7f', ' ', '~'})
            for (size_t at = 0; at < 24; ++at) {
                std::string s(24, 'a');
                s[at] = special;
                JsonWriter w;
                w.value(s);
                QCOMPARE(std::string(w.view()), nlohmann::json(s).dump());
            }
        std::string high(24, 'a');
        high[13] = '\xff';
        JsonWriter w;
        w.value(high);
        QCOMPARE(std::string(w.view()), "\"" + std::string(13, 'a') + "\xEF\xBF\xBD" + std::string(10, 'a') + "\"");
    }

    void pretty_indents()
    {
        JsonWriter w(3);
        w.begin_object();
        w.key("a");
        w.begin_array();
        w.value(1);
        w.end_array();
        w.end_object();
        QCOMPARE(std::string(w.view()), std::string("{\n   \"a\": [\n      1\n   ]\n}"));
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
