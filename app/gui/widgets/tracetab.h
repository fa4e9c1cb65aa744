// The Trace tab's parts beyond the table: the selected call written out whole, what an
// empty table means, and the columns' widths for a theme.
#pragma once

#include "theme.h"
#include "tracemodel.h"

#include <QLabel>

#include <functional>

class QBoxLayout;
class QTableView;

namespace mountlab::gui {

// The columns' widths in the theme's font at `scale` (the table's); the call column
// takes the rest.
void setTraceColumnWidths(QTableView* table, const Theme& theme, double scale = 0.95);

// Under the table: the selected call whole (wrapped, selectable: an overlay's options
// do not fit a column), its result, its process and its namespaces by name.
QLabel* addTraceDetail(QTableView* table, QBoxLayout* layout);

// Above the table, shown only while it has no row: why (the step made no mount-family
// call, tracing is off and why, the filter matches nothing). `state` is asked each time
// the table's rows change, and on refresh() (the tracing state changed, no row did).
class TraceEmptyState : public QLabel {
public:
    TraceEmptyState(QTableView* table, std::function<TraceModel::EmptyState()> state);
    void refresh();

private:
    QTableView* m_table;
    std::function<TraceModel::EmptyState()> m_state;
};

} // namespace mountlab::gui
