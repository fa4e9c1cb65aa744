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
};

class CopyUpProxyModel : public QIdentityProxyModel {
    Q_OBJECT
public:
    using QIdentityProxyModel::QIdentityProxyModel;
    Theme theme = Theme::normal(11);
    QVariant data(const QModelIndex& index, int role) const override;
};

} // namespace mountlab::gui
