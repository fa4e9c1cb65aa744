#include "theme.h"

namespace mountlab::gui {

// Okabe-Ito colours: told apart with every common colour-vision deficiency.
QColor Theme::propagationColor(Propagation p)
{
    switch (p) {
    case Propagation::Shared: return QColor(0xE6, 0x9F, 0x00);      // orange
    case Propagation::Slave: return QColor(0x00, 0x72, 0xB2);       // blue
    case Propagation::SharedSlave: return QColor(0xE6, 0x9F, 0x00); // orange, with the slave's blue stripe
    case Propagation::Unbindable: return QColor(0xCC, 0x79, 0xA7);  // reddish purple
    case Propagation::Private: break;
    }
    return QColor(0x00, 0x9E, 0x73); // bluish green
}

QColor Theme::propagationFill(Propagation p) const
{
    QColor c = propagationColor(p);
    return dark ? c.darker(340) : QColor::fromRgbF(1 - (1 - c.redF()) * 0.22, 1 - (1 - c.greenF()) * 0.22, 1 - (1 - c.blueF()) * 0.22);
}

QString Theme::propagationTeach(Propagation p)
{
    switch (p) {
    case Propagation::Shared:
        return QStringLiteral("shared: in a peer group; mounts and unmounts under it propagate to every peer, and theirs to it");
    case Propagation::Slave:
        return QStringLiteral("slave: receives mounts and unmounts from its master's peer group, sends nothing back");
    case Propagation::SharedSlave:
        return QStringLiteral("shared and slave: receives from its master and shares with its own peers");
    case Propagation::Unbindable:
        return QStringLiteral("unbindable: private, and cannot be bind-mounted (a recursive bind skips it)");
    case Propagation::Private: break;
    }
    return QStringLiteral("private: nothing propagates to or from it");
}

Theme Theme::normal(int pointSize)
{
    Theme t;
    t.pointSize = pointSize;
    t.background = QColor(0xFA, 0xFA, 0xF7);
    t.panel = QColor(0xFF, 0xFF, 0xFF);
    t.text = QColor(0x1A, 0x1A, 0x1A);
    t.dimText = QColor(0x5A, 0x5A, 0x5A);
    t.gridLine = QColor(0xD0, 0xD0, 0xD0);
    t.added = QColor(0xF0, 0xE4, 0x42);   // yellow glow
    t.removed = QColor(0x80, 0x80, 0x80);
    t.changed = QColor(0xD5, 0x5E, 0x00); // vermillion
    t.selection = QColor(0x1A, 0x1A, 0x1A);
    return t;
}

Theme Theme::presenter(int pointSize)
{
    Theme t;
    t.dark = true;
    t.pointSize = pointSize;
    t.background = QColor(0, 0, 0);
    t.panel = QColor(0x10, 0x10, 0x10);
    t.text = QColor(0xFF, 0xFF, 0xFF);
    t.dimText = QColor(0xC8, 0xC8, 0xC8);
    t.gridLine = QColor(0x60, 0x60, 0x60);
    t.added = QColor(0xF0, 0xE4, 0x42);
    t.removed = QColor(0x9A, 0x9A, 0x9A);
    t.changed = QColor(0xFF, 0x7A, 0x1A);
    t.selection = QColor(0xFF, 0xFF, 0xFF);
    return t;
}

QFont Theme::uiFont(double scale, bool bold) const
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(pointSize * scale);
    f.setBold(bold);
    return f;
}

QFont Theme::monoFont(double scale, bool bold) const
{
    QFont f(QStringLiteral("DejaVu Sans Mono"));
    f.setStyleHint(QFont::Monospace);
    f.setPointSizeF(pointSize * scale);
    f.setBold(bold);
    return f;
}

} // namespace mountlab::gui
