#include "styledmodels.h"

#include "copyupmodel.h"
#include "navigatormodel.h"
#include "tracemodel.h"

#include <QPainter>

namespace mountlab::gui {

void NavigatorDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const auto status = StepStatus(index.data(NavigatorModel::StatusRole).toInt());
    const bool group = index.data(NavigatorModel::IsGroupRole).toBool();
    option->font = theme.uiFont(group ? 1.0 : 0.95, group || index.data(NavigatorModel::IsCurrentRole).toBool());
    QColor c = theme.text;
    if (status == StepStatus::Passed)
        c = theme.dark ? QColor(0x6C, 0xE0, 0xA0) : QColor(0x00, 0x7A, 0x4D);
    else if (status == StepStatus::Failed)
        c = theme.dark ? QColor(0xFF, 0x70, 0x70) : QColor(0xC0, 0x1C, 0x1C);
    else if (status == StepStatus::Running)
        c = theme.changed;
    option->palette.setColor(QPalette::Text, c);
    if (index.data(NavigatorModel::IsCurrentRole).toBool() && !group)
        option->backgroundBrush = theme.dark ? QColor(0x33, 0x33, 0x10) : QColor(0xFF, 0xF4, 0xB0);
    if (group && index.data(NavigatorModel::IsActiveRole).toBool())
        option->backgroundBrush = theme.dark ? QColor(0x1A, 0x2A, 0x3A) : QColor(0xE2, 0xEC, 0xF6);
}

int NavigatorDelegate::headingHeight() const { return QFontMetrics(theme.uiFont(0.8, true)).height() + 6; }

QSize NavigatorDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    if (!index.data(NavigatorModel::StageTitleRole).toString().isEmpty())
        s.rheight() += headingHeight();
    return s;
}

void NavigatorDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QString heading = index.data(NavigatorModel::StageTitleRole).toString();
    if (heading.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const int h = headingHeight();
    painter->save();
    painter->setFont(theme.uiFont(0.8, true));
    painter->setPen(theme.dark ? QColor(0xAA, 0xAA, 0xAA) : QColor(0x55, 0x55, 0x55));
    const QRect head(option.rect.left() + 2, option.rect.top() + 3, option.rect.width() - 4, h - 3);
    painter->drawText(head, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(painter->font()).elidedText(heading.toUpper(), Qt::ElideRight, head.width()));
    painter->restore();
    QStyleOptionViewItem rest(option);
    rest.rect.setTop(option.rect.top() + h);
    QStyledItemDelegate::paint(painter, rest, index);
}

TraceProxyModel::TraceProxyModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setFilterKeyColumn(-1);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void TraceProxyModel::setOnlyStep(int step)
{
    if (step == m_onlyStep)
        return;
    m_onlyStep = step;
    invalidateFilter();
}

bool TraceProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_onlyStep >= 0) {
        const QVariant step = sourceModel()->index(sourceRow, 0, sourceParent).data(TraceModel::StepRole);
        if (!step.isValid() || step.toInt() != m_onlyStep)
            return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

QVariant TraceProxyModel::data(const QModelIndex& index, int role) const
{
    if (role == Qt::ForegroundRole) {
        if (index.data(TraceModel::IsErrorRole).toBool() && index.column() == TraceModel::ResultColumn)
            return theme.dark ? QColor(0xFF, 0x70, 0x70) : QColor(0xC0, 0x1C, 0x1C);
        if (index.column() == TraceModel::CallColumn) {
            const QString call = index.data().toString();
            // The propagation colours, in the trace too.
            if (call.contains(QLatin1String("MS_SHARED")))
                return Theme::propagationColor(Propagation::Shared).darker(theme.dark ? 80 : 130);
            if (call.contains(QLatin1String("MS_SLAVE")))
                return Theme::propagationColor(Propagation::Slave).lighter(theme.dark ? 160 : 100);
            if (call.contains(QLatin1String("MS_PRIVATE")))
                return Theme::propagationColor(Propagation::Private).darker(theme.dark ? 80 : 130);
            if (call.contains(QLatin1String("MS_UNBINDABLE")))
                return Theme::propagationColor(Propagation::Unbindable);
        }
        return {};
    }
    if (role == Qt::FontRole)
        return index.column() == TraceModel::CallColumn ? theme.monoFont(0.95) : theme.uiFont(0.95);
    return QSortFilterProxyModel::data(index, role);
}

QVariant CopyUpProxyModel::data(const QModelIndex& index, int role) const
{
    const int layerColumns = sourceModel() ? sourceModel()->columnCount() - 1 : 0;
    const bool upper = index.column() == layerColumns;
    if (role == Qt::BackgroundRole && index.column() > 0 && !index.data().toString().isEmpty()) {
        if (!upper)
            return theme.dark ? QColor(0x10, 0x40, 0x30) : QColor(0xDD, 0xF3, 0xE6);
        const QString kind = index.data(CopyUpModel::KindRole).toString();
        if (kind == QLatin1String("whiteout"))
            return theme.dark ? QColor(0x50, 0x50, 0x50) : QColor(0xD8, 0xD8, 0xD8);
        if (kind == QLatin1String("opaque-dir"))
            return theme.dark ? QColor(0x50, 0x25, 0x45) : QColor(0xF3, 0xDC, 0xEB);
        return theme.dark ? QColor(0x4A, 0x40, 0x00) : QColor(0xFF, 0xF3, 0xB0);
    }
    if (role == Qt::ForegroundRole && !index.data(Qt::BackgroundRole).isNull())
        return theme.dark ? QColor(Qt::white) : QColor(Qt::black);
    if (role == Qt::FontRole) {
        const bool latest = index.data(CopyUpModel::IsLatestRole).toBool();
        return index.column() == 0 ? theme.monoFont(0.95, latest) : theme.uiFont(0.95, latest);
    }
    return QIdentityProxyModel::data(index, role);
}

} // namespace mountlab::gui
