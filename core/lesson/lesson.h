// A lesson: steps that perform engine operations and check what happened, and graded
// exercises. Loaded from YAML (lessons/README.md documents the format for teachers).
#pragma once

#include "base/json.h"
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mountlab::lesson {

// Where a lesson file says something, for error messages and reports.
struct Place {
    std::string file;
    int line = 0;   // 1-based
    int column = 0; // 1-based
};

// One check: a type ("mount", "propagation", "file", "syscall", ...), its parameters,
// and for exercises the points it is worth and what to tell a student who fails it.
struct CheckSpec {
    std::string type;
    Json params = Json::object();
    std::string name; // a sentence; generated from the parameters when not given
    int points = 0;
    std::string feedback; // shown when the check fails
    // In an exercise: this check's own id, and the ids of earlier checks that must pass
    // before this one earns its points (a check of absence earns nothing when the
    // work it is about was not done). YAML `id:` and `requires:`.
    std::string id;
    std::vector<std::string> needs;
    Place place;
};

// A question the learner answers before a step runs (YAML `predict:`): what will the
// kernel do? The step's outcome then shows who was right. The GUI asks it and runs the
// step once answered; `run` prints it, and the answer after the step.
struct Prediction {
    std::string question;
    std::vector<std::string> choices; // 2 to 6
    int answer = -1;                  // index into choices
    std::string why;                  // shown with the answer
};

struct LessonStep {
    std::string id;
    std::string stage; // in a lesson with stages (the walkthrough): the stage's id
    std::string title;
    std::string text;    // Markdown
    std::string shell;   // the shell equivalent shown to the learner
    std::string syscall; // the calls it makes, as strace shows them
    std::string where = "container";
    std::vector<Json> ops; // engine operations, in order ({"op": ..., ...})
    bool expect_ok = true;
    std::optional<Prediction> predict;
    std::vector<CheckSpec> expect;
    Place place;
};

struct Exercise {
    std::string id;
    std::string title;
    std::string task; // Markdown
    int points = 0;   // the sum of its checks' points
    std::vector<std::string> hints;
    // A script that earns full marks, shown to the learner on request (the GUI's
    // practice); empty: the lesson keeps its answer to itself.
    std::string solution;
    int time_limit_ms = 10000;
    std::vector<Json> setup; // operations that prepare the container before the script
    // Operations the grader performs after the script and before the checks (YAML
    // `after:`), each with "where": "container" or "lab host" (the lab host mounting on
    // a volume's source once the container is set up, say). Their outcome is part of
    // the state the checks judge; one that fails is said in the submission's note.
    std::vector<Json> after;
    std::vector<CheckSpec> checks;
    Place place;
};

// A named group of steps (YAML `stages:`): the walkthrough's seven, each a topic.
struct Stage {
    std::string id;
    std::string title;
};

struct Lesson {
    std::string id;
    std::string title;
    std::string summary;
    std::vector<std::string> prerequisites;
    std::vector<Stage> stages; // empty but for the walkthrough
    std::vector<LessonStep> steps;
    std::vector<Exercise> exercises;
    std::string file;

    [[nodiscard]] const Exercise* exercise(const std::string& id) const;
};

} // namespace mountlab::lesson
