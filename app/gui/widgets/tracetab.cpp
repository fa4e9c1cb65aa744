#include "tracetab.h"

#include <QAbstractItemModel>
#include <QBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>

namespace mountlab::gui {

void setTraceColumnWidths(QTableView* table, const Theme& theme, double scale)
{
    const QFontMetrics fm(theme.uiFont(scale));
    const int ch = fm.horizontalAdvance(QLatin1Char('0'));
    // In characters: time in the step, PID, command, the namespace with its name (a
    // change "…2250 lab host → …2251 container" is in the tooltip and the detail line),
    // the call (the rest), result, latency.
    const int widths[TraceModel::NUM_COLUMNS] = {11, 7, 11, 22, 0, 10, 10};
    for (int c = 0; c < TraceModel::NUM_COLUMNS; ++c)
        if (widths[c])
            table->setColumnWidth(c, widths[c] * ch + 16);
}

static QString detailOf(const QModelIndex& row)
{
    auto cell = [&](int column) { return row.siblingAtColumn(column).data().toString(); };
    const QString ns = row.siblingAtColumn(TraceModel::MntNsColumn).data(Qt::ToolTipRole).toString();
    return QObject::tr("%1 = %2\n%3 (pid %4), %5: %6, %7 in the step")
        .arg(cell(TraceModel::CallColumn), cell(TraceModel::ResultColumn), cell(TraceModel::CommColumn),
             cell(TraceModel::PidColumn), cell(TraceModel::MntNsColumn), ns, cell(TraceModel::TimeColumn));
}

QLabel* addTraceDetail(QTableView* table, QBoxLayout* layout)
{
    auto* detail = new QLabel(table->parentWidget());
    detail->setObjectName(QStringLiteral("traceDetail"));
    detail->setWordWrap(true);
    detail->setTextFormat(Qt::PlainText);
    detail->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    detail->setAccessibleName(QObject::tr("the selected call, whole"));
    detail->setText(QObject::tr("Select a call to read it whole here."));
    layout->addWidget(detail);
    const auto placeholder = [detail] { detail->setText(QObject::tr("Select a call to read it whole here.")); };
    QObject::connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, detail,
                     [detail, placeholder](const QModelIndex& current) {
                         if (current.isValid())
                             detail->setText(detailOf(current));
                         else
                             placeholder();
                     });
    // A new session, a rewind, another filter or scope: the call shown may be gone.
    QObject::connect(table->model(), &QAbstractItemModel::modelReset, detail, placeholder);
    QObject::connect(table->model(), &QAbstractItemModel::layoutChanged, detail, [table, placeholder] {
        if (!table->selectionModel()->currentIndex().isValid())
            placeholder();
    });
    return detail;
}

TraceEmptyState::TraceEmptyState(QTableView* table, std::function<TraceModel::EmptyState()> state)
    : QLabel(table->parentWidget()), m_table(table), m_state(std::move(state))
{
    setObjectName(QStringLiteral("traceEmptyState"));
    setWordWrap(true);
    setTextFormat(Qt::PlainText); // the reason may come from a recording: shown as the text it is
    setAccessibleName(tr("why the trace is empty"));
    QAbstractItemModel* m = table->model();
    connect(m, &QAbstractItemModel::rowsInserted, this, &TraceEmptyState::refresh);
    connect(m, &QAbstractItemModel::rowsRemoved, this, &TraceEmptyState::refresh);
    connect(m, &QAbstractItemModel::modelReset, this, &TraceEmptyState::refresh);
    connect(m, &QAbstractItemModel::layoutChanged, this, &TraceEmptyState::refresh);
    refresh();
}

void TraceEmptyState::refresh()
{
    const bool empty = m_table->model()->rowCount() == 0;
    setVisible(empty);
    if (empty)
        setText(TraceModel::emptyText(m_state()));
}

} // namespace mountlab::gui
