#include "mountinfopanel.h"

#include "mountinfofields.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mountlab::gui {

MountinfoPanel::MountinfoPanel(QWidget* parent)
    : QWidget(parent), m_title(new QLabel(this)), m_chips(new QLabel(this)), m_table(new QTableWidget(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_chips);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMaximumHeight(110);
    layout->addWidget(scroll);
    layout->addWidget(m_table, 1);
    m_title->setWordWrap(true);
    m_chips->setTextFormat(Qt::RichText);
    m_chips->setWordWrap(true);
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({tr("Field"), tr("Value"), tr("What it means")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_table->setColumnWidth(1, 320);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAccessibleName(tr("mountinfo fields"));
    setLine({}, {});
}

void MountinfoPanel::setTheme(const Theme& theme)
{
    m_theme = theme;
    m_title->setFont(theme.uiFont(1.0, true));
    m_chips->setFont(theme.monoFont(1.0));
    m_table->setFont(theme.uiFont(0.95));
    setLine(m_whose, m_raw);
}

void MountinfoPanel::setLine(const QString& whose, const QString& raw)
{
    m_whose = whose;
    m_raw = raw;
    const QVector<MountinfoField> fields = explainMountinfoLine(raw);
    if (fields.isEmpty()) {
        m_title->setText(
            tr("Click a mount in the tree to see its line of /proc/PID/mountinfo explained field by field."));
        m_chips->clear();
        m_table->setRowCount(0);
        return;
    }
    m_title->setText(tr("%1: its line in /proc/PID/mountinfo").arg(whose));
    // Chips: each field's text with its name under it, as proc(5) draws it.
    QString html = QStringLiteral("<table cellspacing='3' cellpadding='4'><tr>");
    for (int i = 0; i < fields.size(); ++i)
        html += QStringLiteral("<td align='center' style='background:%1; color:%2'><b>%3</b></td>")
                    .arg(m_theme.mountinfoChip[i % 2].name(), m_theme.mountinfoChipText.name(),
                         fields[i].text.toHtmlEscaped().replace(QLatin1Char(' '), QLatin1String("&nbsp;")));
    html += QStringLiteral("</tr><tr>");
    for (int i = 0; i < fields.size(); ++i)
        html += QStringLiteral("<td align='center'><small>(%1) %2</small></td>")
                    .arg(i + 1)
                    .arg(fields[i].name.toHtmlEscaped());
    html += QStringLiteral("</tr></table>");
    m_chips->setText(html);

    m_table->setRowCount(int(fields.size()));
    for (int i = 0; i < fields.size(); ++i) {
        auto* name = new QTableWidgetItem(QStringLiteral("(%1) %2").arg(i + 1).arg(fields[i].name));
        auto* value = new QTableWidgetItem(fields[i].text);
        auto* meaning = new QTableWidgetItem(fields[i].explain);
        value->setFont(m_theme.monoFont(0.95, true));
        for (QTableWidgetItem* it : {name, value, meaning})
            it->setToolTip(fields[i].explain);
        m_table->setItem(i, 0, name);
        m_table->setItem(i, 1, value);
        m_table->setItem(i, 2, meaning);
    }
    m_table->resizeRowsToContents();
    m_table->scrollToTop();
}

QStringList MountinfoPanel::fieldNames() const
{
    QStringList out;
    for (int i = 0; i < m_table->rowCount(); ++i)
        out << m_table->item(i, 0)->text().section(QLatin1Char(' '), 1);
    return out;
}

QString MountinfoPanel::explanationOf(const QString& field) const
{
    for (int i = 0; i < m_table->rowCount(); ++i)
        if (m_table->item(i, 0)->text().section(QLatin1Char(' '), 1) == field)
            return m_table->item(i, 2)->text();
    return {};
}

} // namespace mountlab::gui
