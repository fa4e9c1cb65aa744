// The legend: one chip per propagation type (the colours used everywhere), the peer
// lane, the master→slave arrow and the diff marks, each with a tooltip that teaches.
#pragma once

#include "theme.h"

#include <QWidget>

namespace mountlab::gui {

class LegendWidget : public QWidget {
    Q_OBJECT
public:
    explicit LegendWidget(QWidget* parent = nullptr);
    void setTheme(const Theme& theme);
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void paintEvent(QPaintEvent*) override;
    bool event(QEvent* e) override;

private:
    struct Entry {
        QString label;
        QString tip;
        int kind; // 0..4 propagation, 10 lane, 11 arrow, 20.. diff
        QRectF rect;
    };
    void layoutEntries();
    double m_oneLineWidth = 100;
    int m_height = 0;
    Theme m_theme = Theme::normal(11);
    QVector<Entry> m_entries;
};

} // namespace mountlab::gui
