// The selected mount's mountinfo line, explained field by field: the line as chips
// with each field's name under it, and a table whose every row teaches.
#pragma once

#include "theme.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace mountlab::gui {

class MountinfoPanel : public QWidget {
    Q_OBJECT
public:
    explicit MountinfoPanel(QWidget* parent = nullptr);
    void setLine(const QString& whose, const QString& raw);
    void setTheme(const Theme& theme);
    // The field names shown, in order (for tests).
    [[nodiscard]] QStringList fieldNames() const;
    [[nodiscard]] QString explanationOf(const QString& field) const;

private:
    Theme m_theme = Theme::normal(11);
    QLabel* m_title;
    QLabel* m_chips;
    QTableWidget* m_table;
    QString m_whose, m_raw;
};

} // namespace mountlab::gui
