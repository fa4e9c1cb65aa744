#include "navigatorview.h"

#include <QKeyEvent>

namespace mountlab::gui {

NavigatorView::NavigatorView(QWidget* parent) : QTreeView(parent)
{
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
}

void NavigatorView::keyboardSearch(const QString& search)
{
    if (search.trimmed().isEmpty())
        return;
    m_typed.start();
    Q_EMIT typedText(search);
}

bool NavigatorView::printable(const QKeyEvent* event)
{
    const QString text = event->text();
    return !text.isEmpty() && text.at(0).isPrint() && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier));
}

// Typing goes on: the window's single-key shortcuts (Space, the digits) are text here.
bool NavigatorView::event(QEvent* event)
{
    if (event->type() == QEvent::ShortcutOverride && typing() && printable(static_cast<QKeyEvent*>(event))) {
        event->accept();
        return true;
    }
    return QTreeView::event(event);
}

void NavigatorView::keyPressEvent(QKeyEvent* event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (typing() && (printable(event) || enter)) {
        // "ls" and Enter meant for the terminal: Enter ends the typing, it starts nothing.
        m_typed.start();
        Q_EMIT typedText(enter ? QStringLiteral("\n") : event->text());
        return;
    }
    if (enter && event->modifiers() == Qt::NoModifier && currentIndex().isValid()) {
        Q_EMIT enterPressed(currentIndex());
        event->accept();
        return;
    }
    QTreeView::keyPressEvent(event);
}

} // namespace mountlab::gui
