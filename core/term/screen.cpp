// Screen's public face: its state, and what the bytes do to it, are in screen_state.h
// and the files that header names.
#include "term/screen.h"
#include "term/screen_state.h"
#include "term/utf8.h"

#include <memory>
#include <string>
#include <utility>

namespace mountlab::term {

namespace {

const Line kNoLine;
const Cell kNoCell;

std::string line_text(const Line& l, bool trim)
{
    std::string out;
    out.reserve(l.cells.size());
    for (const Cell& c : l.cells) {
        if (c.width == 0)
            continue;
        append_utf8(out, c.ch == 0 ? U' ' : c.ch);
    }
    if (trim)
        out.erase(out.find_last_not_of(' ') + 1);
    return out;
}

} // namespace

Screen::Screen(int rows, int cols, size_t scrollback_lines) : s_(std::make_shared<State>(rows, cols, scrollback_lines))
{}

void Screen::feed(std::string_view bytes) { s_->feed(bytes); }

void Screen::resize(int rows, int cols) { s_->resize(rows, cols); }

void Screen::reset()
{
    s_->clear_all();
    s_->parse = Parse::Ground;
    s_->utf8 = Utf8Decoder{};
    s_->replies.clear();
    s_->bell = false;
    s_->dirty = false;
    ++s_->generation;
}

int Screen::rows() const { return s_->rows; }
int Screen::cols() const { return s_->cols; }

const Line& Screen::line(int row) const
{
    if (row < 0 || row >= s_->rows)
        return kNoLine;
    return s_->grid()[static_cast<size_t>(row)];
}

const Cell& Screen::cell(int row, int col) const
{
    const Line& l = line(row);
    if (col < 0 || static_cast<size_t>(col) >= l.cells.size())
        return kNoCell;
    return l.cells[static_cast<size_t>(col)];
}

size_t Screen::scrollback_size() const { return s_->scrollback.size(); }

const Line& Screen::scrollback_line(size_t index) const
{
    return index < s_->scrollback.size() ? s_->scrollback[index] : kNoLine;
}

int Screen::cursor_row() const { return s_->row; }
int Screen::cursor_col() const { return s_->col; }
bool Screen::cursor_visible() const { return s_->cursor_visible; }
bool Screen::alternate_screen() const { return s_->on_alt; }
bool Screen::bracketed_paste() const { return s_->bracketed; }
bool Screen::application_cursor_keys() const { return s_->app_cursor; }
const std::string& Screen::title() const { return s_->title; }

std::string Screen::take_replies() { return std::exchange(s_->replies, std::string{}); }

bool Screen::take_bell() { return std::exchange(s_->bell, false); }

uint64_t Screen::generation() const { return s_->generation; }

std::string Screen::text() const
{
    std::string out;
    size_t keep = 0; // out's length up to the last line that is not empty
    bool first = true;
    for (const Line& l : s_->grid()) {
        if (!first)
            out.push_back('\n');
        first = false;
        const std::string t = line_text(l, true);
        out += t;
        if (!t.empty())
            keep = out.size();
    }
    out.resize(keep);
    return out;
}

std::string Screen::all_text() const
{
    std::string out;
    size_t keep = 0;
    auto add = [&](const Line& l) {
        // A wrapped line keeps its trailing blanks: they are the text's own spaces.
        const std::string t = line_text(l, !l.wrapped);
        out += t;
        if (!t.empty())
            keep = out.size();
        if (!l.wrapped)
            out.push_back('\n');
    };
    for (const Line& l : s_->scrollback)
        add(l);
    for (const Line& l : s_->grid())
        add(l);
    out.resize(keep);
    return out;
}

} // namespace mountlab::term
