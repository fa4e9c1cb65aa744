#include "linkopener.h"

#include "safemarkdown.h"

#include <QDesktopServices>
#include <QMessageBox>

namespace mountlab::gui {

LinkOpener::LinkOpener(QWidget* dialogParent) : QObject(dialogParent), m_parent(dialogParent)
{
    m_confirm = [this](const QUrl& url) {
        if (qEnvironmentVariableIsSet("MOUNTLAB_NO_DIALOGS"))
            return false;
        QMessageBox box(QMessageBox::Question, tr("Open a link?"), {}, QMessageBox::Open | QMessageBox::Cancel,
                        m_parent);
        box.setTextFormat(Qt::PlainText);
        box.setText(tr("This link comes from the lesson or recording text. Open it in your web browser?\n\n%1")
                        .arg(url.toString(QUrl::FullyEncoded)));
        box.setDefaultButton(QMessageBox::Cancel);
        return box.exec() == QMessageBox::Open;
    };
    m_open = [](const QUrl& url) { return QDesktopServices::openUrl(url); };
}

LinkOpener::Outcome LinkOpener::activate(const QString& link)
{
    const QString shown = link.left(200).simplified(); // the status line is plain text
    if (link.trimmed().startsWith(QLatin1Char('#')) && isAllowedLink(link)) {
        Q_EMIT message(tr("%1 is a place in the text, not a page to open").arg(shown));
        return Outcome::InDocument;
    }
    if (!isAllowedLink(link)) {
        Q_EMIT message(tr("Link refused: only http and https links open (this one is %1)").arg(shown));
        return Outcome::Refused;
    }
    const QUrl url(link.trimmed());
    if (!m_confirm(url)) {
        Q_EMIT message(tr("Link not opened: %1").arg(url.toString(QUrl::FullyEncoded)));
        return Outcome::Declined;
    }
    if (!m_open(url)) {
        Q_EMIT message(tr("No browser could open %1").arg(url.toString(QUrl::FullyEncoded)));
        return Outcome::Failed;
    }
    Q_EMIT message(tr("Opened %1").arg(url.toString(QUrl::FullyEncoded)));
    return Outcome::Opened;
}

} // namespace mountlab::gui
