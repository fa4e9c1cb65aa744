// The navigator: groups of steps with their status. A group is a stage of the
// built-in walkthrough, or (when the agent gains {"cmd":"lessons"}) a lesson: any
// "lesson → steps" list plugs in through setGroups().
#pragma once

#include <QAbstractItemModel>
#include <QJsonObject>
#include <QVector>

namespace mountlab::gui {

enum class StepStatus { NotRun, Running, Passed, Failed };

struct NavStep {
    int index = 0;   // what the engine runs ({"cmd":"step","index":N} for the walkthrough)
    QString group;   // stage or lesson id
    QString id;
    QString title;
    QString shell;
    QString syscall;
    QString explain;
    QString where;
    StepStatus status = StepStatus::NotRun;
};

struct NavGroup {
    QString id;
    QString title;
    QVector<NavStep> steps;
};

class NavigatorModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Columns { TitleColumn, StatusColumn, NUM_COLUMNS };
    enum Roles {
        FlatIndexRole = Qt::UserRole, // position in run order, -1 for a group
        StepIdRole,
        StatusRole, // int(StepStatus)
        ShellRole,
        SyscallRole,
        ExplainRole,
        WhereRole,
        IsGroupRole,
        IsCurrentRole, // the next step to run
    };

    explicit NavigatorModel(QObject* parent = nullptr);

    // From the agent's "walkthrough" event: stages become groups.
    void setWalkthrough(const QJsonObject& event);
    void setGroups(const QVector<NavGroup>& groups, const QString& name);
    [[nodiscard]] QString name() const { return m_name; }

    [[nodiscard]] int stepCount() const { return int(m_flat.size()); }
    [[nodiscard]] const NavStep& step(int flat) const;
    [[nodiscard]] int flatIndexOf(const QString& group, const QString& id) const;
    [[nodiscard]] int flatIndex(const QModelIndex& index) const;
    [[nodiscard]] QModelIndex indexOfStep(int flat, int column = 0) const;
    [[nodiscard]] int groupOf(int flat) const { return m_flat.value(flat).first; }
    [[nodiscard]] const NavGroup& group(int g) const { return m_groups[g]; }
    [[nodiscard]] int groupCount() const { return int(m_groups.size()); }

    void setStatus(int flat, StepStatus status);
    void resetStatuses();
    // The next step to run (stepCount() when all ran).
    void setCurrent(int flat);
    [[nodiscard]] int current() const { return m_current; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] static QString statusName(StepStatus s);

private:
    static constexpr quintptr kGroupTag = ~quintptr(0);
    QString m_name;
    QVector<NavGroup> m_groups;
    QVector<QPair<int, int>> m_flat; // (group, row) in run order
    int m_current = 0;
};

} // namespace mountlab::gui
