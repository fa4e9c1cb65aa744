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
        c = theme.passText;
    else if (status == StepStatus::Failed)
        c = theme.failText;
    else if (status == StepStatus::Running)
        c = theme.changed;
    // Passed before (not in this lab): the same tick, dim and in italics, so it reads
    // apart from this lab's ticks without colour alone.
    if (index.data(NavigatorModel::PassedBeforeRole).toBool()) {
        c = theme.dimText;
        option->font.setItalic(true);
    }
    option->palette.setColor(QPalette::Text, c);
    if (index.data(NavigatorModel::IsCurrentRole).toBool() && !group)
        option->backgroundBrush = theme.currentStepBackground;
    if (group && index.data(NavigatorModel::IsActiveRole).toBool())
        option->backgroundBrush = theme.activeLessonBackground;
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
    painter->setPen(theme.stageHeading);
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
            return theme.failText;
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
            return theme.lowerLayerBackground;
        const QString kind = index.data(CopyUpModel::KindRole).toString();
        if (kind == QLatin1String("whiteout"))
            return theme.whiteoutBackground;
        if (kind == QLatin1String("opaque-dir"))
            return theme.opaqueDirBackground;
        return theme.copiedUpBackground;
    }
    if (role == Qt::ForegroundRole && !index.data(Qt::BackgroundRole).isNull())
        return theme.layerText;
    if (role == Qt::FontRole) {
        const bool latest = index.data(CopyUpModel::IsLatestRole).toBool();
        return index.column() == 0 ? theme.monoFont(0.95, latest) : theme.uiFont(0.95, latest);
    }
    return QIdentityProxyModel::data(index, role);
}

} // namespace mountlab::gui
