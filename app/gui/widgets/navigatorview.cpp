#include "navigatorview.h"

namespace mountlab::gui {

NavigatorView::NavigatorView(QWidget* parent) : QTreeView(parent)
{
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
}

void NavigatorView::keyboardSearch(const QString& search)
{
    if (!search.trimmed().isEmpty())
        Q_EMIT typedText(search);
}

} // namespace mountlab::gui
