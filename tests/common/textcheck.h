// What "safe for a terminal and a CI log" means, checked independently of the code
// under test (through Qt's UTF-8 decoder): why `text` is not clean, or "" when it is.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace mountlab::test {

inline QString unclean_text(const QByteArray& text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\n') || c == 0x7f)
            return QStringLiteral("control byte 0x%1 at offset %2").arg(c, 2, 16, QChar('0')).arg(i);
    }
    const QString decoded = QString::fromUtf8(text);
    if (decoded.toUtf8() != text)
        return QStringLiteral("not valid UTF-8");
    for (QChar ch : decoded)
        if (ch.unicode() >= 0x80 && ch.unicode() <= 0x9f)
            return QStringLiteral("C1 control U+%1").arg(ch.unicode(), 4, 16, QChar('0'));
    int n = 0;
    for (const QString& line : decoded.split('\n')) {
        ++n;
        // GitHub's runner trims leading whitespace before it looks for "::".
        QString t = line;
        while (!t.isEmpty() && (t[0].isSpace() || t[0] == QChar(0x200b) || t[0] == QChar(0xfeff)))
            t.remove(0, 1);
        if (t.startsWith("::"))
            return QStringLiteral("line %1 starts a workflow command: %2").arg(n).arg(line);
    }
    return {};
}

} // namespace mountlab::test
