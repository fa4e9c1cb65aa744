#include "trymodel.h"

#include <QJsonArray>

#include <algorithm>

namespace mountlab::gui {

namespace {
// A recording is someone else's file: what one try takes from it is capped.
constexpr int kMaxChecks = 200;
constexpr qsizetype kMaxText = 4000;

QString str(const QJsonObject& o, const char* key) { return o.value(QLatin1String(key)).toString().left(kMaxText); }
} // namespace

TryModel::TryModel(QObject* parent) : QObject(parent) {}

void TryModel::clear()
{
    const bool was = m_active;
    m_active = m_passed = false;
    m_lesson.clear();
    m_id.clear();
    m_title.clear();
    m_shell.clear();
    m_where.clear();
    m_reason.clear();
    m_view.clear();
    m_index = -1;
    m_commands = 0;
    m_checks.clear();
    Q_EMIT changed();
    if (was)
        Q_EMIT ended();
}

bool TryModel::handleEvent(const QJsonObject& e)
{
    if (e.value(QLatin1String("kind")).toString() != QLatin1String("try"))
        return false;
    const bool was = m_active;
    m_active = e.value(QLatin1String("active")).toBool();
    m_reason = str(e, "reason");
    m_passed = e.value(QLatin1String("passed")).toBool();
    // The last event of a try (stop) may say no more than that it ended: the step and
    // its checklist stay as they were judged last.
    if (e.contains(QLatin1String("lesson"))) {
        m_lesson = str(e, "lesson");
        m_index = e.value(QLatin1String("index")).toInt(-1);
        m_id = str(e, "id");
        m_title = str(e, "title");
        m_shell = str(e, "shell");
        m_where = str(e, "where");
    }
    m_commands = e.value(QLatin1String("commands")).toInt(m_commands);
    m_view = str(e, "view");
    // A stop carries no checklist: the last one judged stays.
    if (m_active || m_passed) {
        m_checks.clear();
        for (const QJsonValue& v : e.value(QLatin1String("checks")).toArray()) {
            if (m_checks.size() >= kMaxChecks)
                break;
            const QJsonObject c = v.toObject();
            m_checks.push_back(TryCheck{str(c, "name"), c.value(QLatin1String("passed")).toBool(), str(c, "message")});
        }
    }
    if (m_active && m_reason == QLatin1String("start"))
        Q_EMIT started();
    Q_EMIT changed();
    if (was && !m_active)
        Q_EMIT ended();
    return true;
}

int TryModel::checksHolding() const
{
    return int(std::count_if(m_checks.begin(), m_checks.end(), [](const TryCheck& c) { return c.passed; }));
}

} // namespace mountlab::gui
