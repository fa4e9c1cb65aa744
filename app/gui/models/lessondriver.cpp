#include "lessondriver.h"

#include <QJsonArray>
#include <QTimer>
#include <algorithm>

namespace mountlab::gui {

namespace {
QString predictionKey(const NavStep& s) { return s.group + QLatin1Char('/') + QString::number(s.index); }
QJsonObject resetLab() { return QJsonObject{{QStringLiteral("cmd"), QStringLiteral("reset-lab")}}; }
} // namespace

LessonDriver::LessonDriver(Session& session, Engine& engine, QObject* parent)
    : QObject(parent), m_session(session), m_engine(engine)
{
    connect(&m_session, &Session::stepEnded, this, [this](int flat, const QJsonObject&) { onStepEnded(flat); });
    // A fresh lab (a reset, a lesson's start, a practice): the learner's programs are gone.
    connect(&m_session, &Session::stepBegan, this, [this](int, const QJsonObject& begin) {
        const bool typed =
            begin.value(QLatin1String("op")).toObject().value(QLatin1String("op")).toString() == QLatin1String("typed");
        // A fresh lab (the learner's programs are gone), or a step Run (the note said so).
        if (begin.value(QLatin1String("where")).toString() == QLatin1String("lab") ||
            (!typed && begin.value(QLatin1String("stage")).toString() != QLatin1String("terminal")))
            m_typedIn.clear();
    });
    connect(m_session.tryModel(), &TryModel::ended, this, [this] {
        const TryModel* t = m_session.tryModel();
        if (t->passed() && live())
            m_typedIn = t->view();
        Q_EMIT stateChanged();
    });
}

bool LessonDriver::asksPrediction(const NavStep& s)
{
    const qsizetype n = s.predict.value(QLatin1String("choices")).toArray().size();
    return !s.predict.value(QLatin1String("question")).toString().isEmpty() && n >= 2 && n <= 6;
}

void LessonDriver::clear()
{
    m_queue.clear();
    m_replayTarget = -1; // a new session (another recording) plays toward no old target
    m_waiting = false;
    m_shownStep = -1;
    m_shownGroup = -1;
    m_predicted.clear();
    m_predictAsked.clear();
    m_predictTold.clear();
    m_typedIn.clear();
}

void LessonDriver::engineStopped()
{
    m_waiting = false;
    m_queue.clear();
}

bool LessonDriver::idle() const { return !m_waiting && m_queue.isEmpty() && !m_session.busy(); }

int LessonDriver::shownGroup() const
{
    const NavigatorModel* nav = m_session.navigator();
    if (m_shownStep >= 0 && m_shownStep < nav->stepCount())
        return nav->groupOf(m_shownStep);
    if (m_shownGroup >= 0 && m_shownGroup < nav->groupCount())
        return m_shownGroup;
    return nav->active();
}

void LessonDriver::showStep(int flat)
{
    if (flat < 0 || flat >= m_session.navigator()->stepCount())
        return;
    m_shownStep = flat;
    m_shownGroup = -1;
    stopTryOfOtherStep();
    Q_EMIT shownChanged();
}

void LessonDriver::showGroup(int group)
{
    if (group < 0 || group >= m_session.navigator()->groupCount())
        return;
    m_shownStep = -1;
    m_shownGroup = group;
    stopTryOfOtherStep();
    Q_EMIT shownChanged();
}

int LessonDriver::nextStepToRun() const
{
    const NavigatorModel* nav = m_session.navigator();
    const int g = shownGroup();
    // The active lesson goes on where it is (after its last step: into the next lesson);
    // another lesson starts from its first step.
    if (g == nav->active() || nav->groupSize(g) == 0)
        return nav->current();
    return nav->groupStart(g);
}

QJsonObject LessonDriver::stepCommand(int flat) const
{
    const NavigatorModel* nav = m_session.navigator();
    const NavStep& st = nav->step(flat);
    if (nav->group(nav->groupOf(flat)).walkthrough)
        return QJsonObject{{QStringLiteral("cmd"), QStringLiteral("step")}, {QStringLiteral("index"), st.index}};
    return QJsonObject{{QStringLiteral("cmd"), QStringLiteral("lesson-step")},
                       {QStringLiteral("lesson"), st.group},
                       {QStringLiteral("index"), st.index}};
}

bool LessonDriver::canTryShown() const
{
    const NavigatorModel* nav = m_session.navigator();
    return live() && idle() && m_session.catalogueComplete() && !m_session.practice()->active() && m_shownStep >= 0 &&
           m_shownStep < nav->stepCount() && !nav->step(m_shownStep).shell.isEmpty();
}

bool LessonDriver::tryingShown() const
{
    const NavigatorModel* nav = m_session.navigator();
    const TryModel* t = m_session.tryModel();
    // A recording's try is not one the learner can type in or stop.
    if (!live() || !t->active() || m_shownStep < 0 || m_shownStep >= nav->stepCount())
        return false;
    const NavStep& s = nav->step(m_shownStep);
    return t->isStep(s.group, s.index);
}

bool LessonDriver::tryShownStep()
{
    if (!live()) {
        Q_EMIT message(tr("Trying a step needs the live lab (File ▸ Start the lab)"), 6000);
        return false;
    }
    if (m_session.practice()->active()) {
        Q_EMIT message(tr("A practice is under way: stop it to try a step"), 6000);
        return false;
    }
    if (!canTryShown()) {
        Q_EMIT message(
            m_shownStep < 0 ? tr("Select a step to try it") : tr("The lab is busy: try once the step has run"), 6000);
        return false;
    }
    const NavStep& s = m_session.navigator()->step(m_shownStep);
    // A step that asks a prediction asks it first, as Space does; asked once.
    const QString k = predictionKey(s);
    if (asksPrediction(s) && s.status == StepStatus::NotRun && !m_predicted.contains(k) && m_predictAsked != k) {
        m_predictAsked = k;
        Q_EMIT predictionAsked(m_shownStep);
        Q_EMIT message(tr("Predict first: press 1–%1 or click a choice. Ctrl+Shift+T again tries the step without.")
                           .arg(s.predict.value(QLatin1String("choices")).toArray().size()),
                       8000);
        Q_EMIT stateChanged();
        return false;
    }
    const NavigatorModel* nav = m_session.navigator();
    if (nav->groupOf(m_shownStep) != nav->active() || nav->current() != m_shownStep) {
        Q_EMIT message(tr("A lab where this step comes next first (a fresh lab and the steps before it), then type it"),
                       8000);
        queueUpTo(m_shownStep, false);
    }
    // Sent in its turn: after the steps before it, never while one runs.
    enqueue(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("try")},
                        {QStringLiteral("lesson"), s.group},
                        {QStringLiteral("index"), s.index}});
    return true;
}

void LessonDriver::stopTry()
{
    if (live() && m_session.tryModel()->active()) {
        m_stopAsked = true;
        m_engine.send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("try-stop")}});
    }
}

void LessonDriver::stopTryOfOtherStep()
{
    const TryModel* t = m_session.tryModel();
    if (t->active() && !tryingShown())
        stopTry();
}

void LessonDriver::enqueue(const QJsonObject& command)
{
    m_queue.enqueue(command);
    if (!m_waiting)
        sendNext();
}

void LessonDriver::sendNext()
{
    if (m_queue.isEmpty()) {
        m_waiting = false;
        Q_EMIT stateChanged();
        Q_EMIT idleChanged(true);
        return;
    }
    const QJsonObject command = m_queue.dequeue();
    m_engine.send(command);
    // A try answers with "try" events, no step: nothing to wait for.
    if (command.value(QLatin1String("cmd")).toString() == QLatin1String("try")) {
        // The steps before it were shown as they ran: the tried one is shown again.
        const int tried = m_session.navigator()->flatIndexOfStep(command.value(QLatin1String("lesson")).toString(),
                                                                 command.value(QLatin1String("index")).toInt());
        if (tried >= 0 && tried != m_shownStep)
            showStep(tried);
        sendNext();
        return;
    }
    m_waiting = true;
    Q_EMIT stateChanged();
}

void LessonDriver::onStepEnded(int flat)
{
    if (flat >= 0 && m_queue.isEmpty())
        showStep(std::min(flat, m_session.navigator()->stepCount() - 1));
    Q_EMIT stepSettled(flat);
    if (replay()) {
        advanceReplay();
        return;
    }
    // A terminal's step comes when its commands changed the tables, not as an answer
    // to a command: the queue waits on.
    // Nor is a step the learner did by typing: the terminal's shell is where they left it.
    const QJsonObject& begin = m_session.lastBegin();
    const bool typed =
        begin.value(QLatin1String("op")).toObject().value(QLatin1String("op")).toString() == QLatin1String("typed");
    if (typed && live()) {
        // Not the answer to a command: what is in flight, or queued, waits on.
        Q_EMIT stateChanged();
        if (idle())
            Q_EMIT idleChanged(true);
        return;
    }
    if (live() && begin.value(QLatin1String("stage")).toString() != QLatin1String("terminal")) {
        Q_EMIT liveStepDone();
        sendNext();
    }
}

void LessonDriver::advanceReplay()
{
    // Played up to a target (Run to here, Back): the next frame once this one is in.
    if (m_replayTarget >= 0 && m_engine.replayPosition() < m_replayTarget &&
        m_engine.replayPosition() < m_engine.replayFrameCount())
        // Asked again when it fires: a new session in between (clear()) ended the target.
        QTimer::singleShot(0, this, [this] {
            if (m_replayTarget >= 0 && m_engine.replayPosition() < m_replayTarget)
                m_engine.replayNext();
        });
    else
        m_replayTarget = -1;
}

void LessonDriver::frameWithoutStepDelivered()
{
    if (replay() && m_replayTarget >= 0)
        QTimer::singleShot(0, this, &LessonDriver::advanceReplay);
}

void LessonDriver::rewind()
{
    // From the start: the session and the tables before the first step (frame 0).
    m_session.clear();
    m_replayTarget = -1;
    Q_EMIT rewinding();
    m_engine.rewindReplay();
}

void LessonDriver::runNextStep()
{
    if (replay()) {
        if (!m_session.busy())
            m_engine.replayNext();
        return;
    }
    // Before the catalogue is complete a step's place is not final (the walkthrough comes
    // after the lessons and goes first): Space then would start the first lesson instead.
    if (!live() || !idle() || !m_session.catalogueComplete())
        return;
    const int next = nextStepToRun();
    if (next < m_session.navigator()->stepCount())
        runToStep(next);
}

bool LessonDriver::lessonDone() const
{
    const NavigatorModel* nav = m_session.navigator();
    const int g = nav->active();
    if (!live() || g < 0 || g >= nav->groupCount() || nav->groupSize(g) == 0)
        return false;
    return nav->current() >= nav->groupStart(g) + nav->groupSize(g);
}

int LessonDriver::nextLesson() const
{
    const NavigatorModel* nav = m_session.navigator();
    for (int g = nav->active() + 1; g >= 1 && g < nav->groupCount(); ++g)
        if (nav->groupSize(g) > 0)
            return g;
    return -1;
}

void LessonDriver::startNextLesson()
{
    const int g = nextLesson();
    if (g >= 0)
        runToStep(m_session.navigator()->groupStart(g));
}

void LessonDriver::spaceKey()
{
    const NavigatorModel* nav = m_session.navigator();
    // The lesson's end: its summary first, not the next lesson (which would throw the
    // end state away unseen).
    if (live() && idle() && lessonDone() && shownGroup() == nav->active() && overviewShown() != nav->active()) {
        showGroup(nav->active());
        const int next = nextLesson();
        Q_EMIT message(next >= 0 ? tr("Lesson done. Space or Next lesson starts “%1” in a fresh lab.")
                                       .arg(nav->group(next).title.left(200))
                                 : tr("Lesson done: the last one."),
                       8000);
        return;
    }
    if (live() && idle() && m_session.catalogueComplete()) {
        const int next = nextStepToRun();
        if (next < nav->stepCount()) {
            const NavStep& s = nav->step(next);
            const QString k = predictionKey(s);
            if (asksPrediction(s) && !m_predicted.contains(k) && m_predictAsked != k) {
                m_predictAsked = k;
                showStep(next);
                Q_EMIT predictionAsked(next);
                const int n = int(s.predict.value(QLatin1String("choices")).toArray().size());
                Q_EMIT message(
                    tr("Predict first: press 1–%1 or click a choice. Space again runs the step without.").arg(n), 8000);
                return;
            }
        }
    }
    runNextStep();
}

void LessonDriver::choosePrediction(int choice)
{
    const NavigatorModel* nav = m_session.navigator();
    if (m_shownStep < 0 || m_shownStep >= nav->stepCount())
        return;
    const NavStep& s = nav->step(m_shownStep);
    if (!asksPrediction(s) || choice < 0 || choice >= s.predict.value(QLatin1String("choices")).toArray().size())
        return;
    if (s.status != StepStatus::NotRun)
        return; // the kernel has answered already
    m_predicted.insert(predictionKey(s), choice);
    Q_EMIT predictionChosen(s.group, s.index, s.id,
                            s.predict.value(QLatin1String("choices")).toArray().at(choice).toString(),
                            s.predict.value(QLatin1String("answer")).toInt(-1) == choice);
    Q_EMIT message(tr("Prediction %1 noted. Space runs the step: see what the kernel does.").arg(choice + 1), 6000);
    Q_EMIT stateChanged();
}

int LessonDriver::predictionOf(int flat) const
{
    const NavigatorModel* nav = m_session.navigator();
    if (flat < 0 || flat >= nav->stepCount())
        return -1;
    return m_predicted.value(predictionKey(nav->step(flat)), -1);
}

bool LessonDriver::takeAnswerTold(int flat)
{
    const NavigatorModel* nav = m_session.navigator();
    if (flat < 0 || flat >= nav->stepCount())
        return false;
    const QString k = predictionKey(nav->step(flat));
    if (m_predictTold.contains(k))
        return false;
    m_predictTold.insert(k);
    return true;
}

void LessonDriver::replayToStep(int flat)
{
    // Frames of the recording, not navigator positions: a recording may visit lessons
    // in any order, and the same step more than once.
    const NavStep& st = m_session.navigator()->step(flat);
    const int frame = m_engine.frameOfStep(st.group, st.index, st.stage, st.id);
    if (frame < 0) {
        Q_EMIT message(tr("This recording never ran that step."), 6000);
        return;
    }
    const int target = frame + 1; // frames delivered once that step has played
    if (target < m_engine.replayPosition())
        rewind();
    m_replayTarget = target;
    if (m_engine.replayPosition() < target)
        m_engine.replayNext();
}

void LessonDriver::runToStep(int flat)
{
    const NavigatorModel* nav = m_session.navigator();
    if (flat < 0 || flat >= nav->stepCount())
        return;
    if (replay()) {
        replayToStep(flat);
        return;
    }
    if (queueUpTo(flat, true))
        sendNext();
}

bool LessonDriver::queueUpTo(int flat, bool inclusive)
{
    const NavigatorModel* nav = m_session.navigator();
    if (!live() || !idle() || flat < 0 || flat >= nav->stepCount())
        return false;
    // Steps build on each other inside a lesson: another lesson, or a step already run,
    // means a fresh lab and the lesson from its first step.
    const int g = nav->groupOf(flat);
    int from = nav->current();
    if (g != nav->active() || flat < from || from < nav->groupStart(g)) {
        m_queue.enqueue(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("reset-lab")},
                                    {QStringLiteral("lesson"), nav->group(g).id}});
        from = nav->groupStart(g);
    }
    for (int i = from; i < flat + (inclusive ? 1 : 0); ++i)
        m_queue.enqueue(stepCommand(i));
    return true;
}

void LessonDriver::back()
{
    const NavigatorModel* nav = m_session.navigator();
    if (replay()) {
        // The recording again from the start, up to the frame before this one.
        const int target = m_engine.replayPosition() - 1;
        if (target < 1)
            return;
        rewind();
        if (target > 1) {
            m_replayTarget = target;
            m_engine.replayNext();
        }
        return;
    }
    const int start = nav->groupStart(nav->active());
    const int target = nav->current() - 1; // steps to have run afterwards: start..target-1
    if (target < start || !live() || !idle())
        return;
    m_queue.enqueue(resetLab());
    for (int i = start; i < target; ++i)
        m_queue.enqueue(stepCommand(i));
    sendNext();
}

void LessonDriver::reset()
{
    if (replay()) {
        rewind();
        return;
    }
    if (live() && idle()) {
        // The lesson from its top: not a step of it still shown beside "not run yet".
        showGroup(shownGroup());
        enqueue(resetLab());
    }
}

LessonDriver::Actions LessonDriver::actions() const
{
    const NavigatorModel* nav = m_session.navigator();
    const bool canAct = (live() && idle()) || (replay() && !m_session.busy());
    Actions a;
    a.run = canAct &&
            (replay() ? m_engine.replayPosition() < m_engine.replayFrameCount() : nextStepToRun() < nav->stepCount());
    a.back = canAct && (replay() ? m_engine.replayPosition() > 1 : nav->current() > nav->groupStart(nav->active()));
    a.runTo = canAct && m_shownStep >= 0;
    a.reset = canAct;
    a.nextLesson = canAct && live() && lessonDone() && nextLesson() >= 0;
    a.tryIt = canTryShown();
    return a;
}

} // namespace mountlab::gui
