// Presentation on top of the QtCore models (which know no colours or fonts): the
// navigator's status colours, the trace's errors and propagation flags, the copy-up
// kinds.
#pragma once

#include "theme.h"

#include <QIdentityProxyModel>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>

namespace mountlab::gui {

class NavigatorDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    Theme theme = Theme::normal(11);
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
    // A walkthrough step that opens a stage gets the stage's title as a heading above it.
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    [[nodiscard]] int headingHeight() const;
};

// Filters the trace (any column) and colours it.
class TraceProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TraceProxyModel(QObject* parent = nullptr);
    Theme theme = Theme::normal(11);
    QVariant data(const QModelIndex& index, int role) const override;
    // Only the calls of one step (the engine's step number); -1: every call.
    void setOnlyStep(int step);
    [[nodiscard]] int onlyStep() const { return m_onlyStep; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    int m_onlyStep = -1;
};

class CopyUpProxyModel : public QIdentityProxyModel {
    Q_OBJECT
public:
    using QIdentityProxyModel::QIdentityProxyModel;
    Theme theme = Theme::normal(11);
    QVariant data(const QModelIndex& index, int role) const override;
};

} // namespace mountlab::gui
