// Links in lesson and recording text are untrusted: a step's Markdown may link to
// javascript:, file: or a command handler. Only http(s) links open, and only after the
// reader has seen the whole URL and said yes; everything else is refused with a reason.
#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class QWidget;

namespace mountlab::gui {

class LinkOpener : public QObject {
    Q_OBJECT
public:
    enum class Outcome { Opened, Declined, Refused, InDocument, Failed };
    // Asks the reader (default: a dialog showing the full URL; no dialog, no link, when
    // MOUNTLAB_NO_DIALOGS is set). Opens (default: QDesktopServices). Tests replace both.
    using Confirm = std::function<bool(const QUrl&)>;
    using Open = std::function<bool(const QUrl&)>;

    explicit LinkOpener(QWidget* dialogParent);
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    void setOpen(Open open) { m_open = std::move(open); }

    // A link the reader clicked (QLabel::linkActivated): message() says what became of it.
    Outcome activate(const QString& link);

Q_SIGNALS:
    void message(const QString& text);

private:
    QWidget* m_parent;
    Confirm m_confirm;
    Open m_open;
};

} // namespace mountlab::gui
