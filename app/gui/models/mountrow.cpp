#include "mountrow.h"

#include "mount/mountdiff.h"
#include "mount/mountinfo.h"
#include "mount/overlayoptions.h"

#include <QJsonArray>

namespace mountlab::gui {

OverlayLayers parseOverlayOptions(const QString& fsOptions)
{
    // The engine's reading of them (mount/overlayoptions.h), so that both agree.
    const mountlab::OverlayLayers l = mountlab::overlay_layers(fsOptions.toStdString());
    OverlayLayers layers;
    for (const std::string& d : l.lowers)
        layers.lowerdirs << QString::fromStdString(d);
    layers.upperdir = QString::fromStdString(l.upper);
    layers.workdir = QString::fromStdString(l.work);
    return layers;
}

Propagation MountRow::propagation() const
{
    if (unbindable)
        return Propagation::Unbindable;
    if (peerGroup && master)
        return Propagation::SharedSlave;
    if (peerGroup)
        return Propagation::Shared;
    if (master)
        return Propagation::Slave;
    return Propagation::Private;
}

QString propagationName(Propagation p)
{
    switch (p) {
    case Propagation::Shared:
        return QStringLiteral("shared");
    case Propagation::Slave:
        return QStringLiteral("slave");
    case Propagation::SharedSlave:
        return QStringLiteral("shared,slave");
    case Propagation::Unbindable:
        return QStringLiteral("unbindable");
    case Propagation::Private:
        break;
    }
    return QStringLiteral("private");
}

QString MountRow::propagationText() const
{
    if (peerGroup && master)
        return QStringLiteral("shared,slave");
    if (peerGroup)
        return QStringLiteral("shared");
    if (master)
        return unbindable ? QStringLiteral("private,slave,unbindable") : QStringLiteral("private,slave");
    return unbindable ? QStringLiteral("private,unbindable") : QStringLiteral("private");
}

QString MountRow::groupText() const
{
    QStringList parts;
    if (peerGroup)
        parts << QStringLiteral("shared:%1").arg(peerGroup);
    if (master)
        parts << QStringLiteral("master:%1").arg(master);
    if (propagateFrom)
        parts << QStringLiteral("propagate_from:%1").arg(propagateFrom);
    if (unbindable)
        parts << QStringLiteral("unbindable");
    return parts.isEmpty() ? QStringLiteral("private") : parts.join(QLatin1Char(' '));
}

static int intOrZero(const QJsonValue& v) { return v.isDouble() ? v.toInt() : 0; }

MountRow mountFromJson(const QJsonObject& o)
{
    MountRow m;
    m.id = intOrZero(o.value(QLatin1String("id")));
    m.parentId = intOrZero(o.value(QLatin1String("parent")));
    m.target = o.value(QLatin1String("target")).toString();
    m.source = o.value(QLatin1String("source")).toString();
    m.fstype = o.value(QLatin1String("fstype")).toString();
    m.fsroot = o.value(QLatin1String("fsroot")).toString();
    m.vfsOptions = o.value(QLatin1String("vfs-options")).toString();
    m.fsOptions = o.value(QLatin1String("fs-options")).toString();
    m.optFields = o.value(QLatin1String("opt-fields")).toString();
    m.majMin = o.value(QLatin1String("maj:min")).toString();
    m.raw = o.value(QLatin1String("raw")).toString();
    m.peerGroup = intOrZero(o.value(QLatin1String("peer_group")));
    m.master = intOrZero(o.value(QLatin1String("master")));
    m.propagateFrom = intOrZero(o.value(QLatin1String("propagate_from")));
    m.unbindable = o.value(QLatin1String("unbindable")).toBool();
    if (!o.contains(QLatin1String("unbindable")))
        m.unbindable = o.value(QLatin1String("propagation")).toString().contains(QLatin1String("unbindable"));
    m.parentTarget = o.value(QLatin1String("parent_target")).toString();
    m.stack = intOrZero(o.value(QLatin1String("stack")));
    return m;
}

MountRow mountFromCore(const mountlab::Mount& c)
{
    MountRow m;
    m.id = c.id;
    m.parentId = c.parent_id;
    m.target = QString::fromStdString(c.target);
    m.source = QString::fromStdString(c.source);
    m.fstype = QString::fromStdString(c.fstype);
    m.fsroot = QString::fromStdString(c.root);
    m.vfsOptions = QString::fromStdString(c.vfs_options);
    m.fsOptions = QString::fromStdString(c.super_options);
    m.optFields = QString::fromStdString(c.optional_fields);
    m.majMin = QStringLiteral("%1:%2").arg(c.major).arg(c.minor);
    m.raw = QString::fromStdString(c.raw);
    m.peerGroup = c.shared;
    m.master = c.master;
    m.propagateFrom = c.propagate_from;
    m.unbindable = c.unbindable;
    return m;
}

MountDiffRows diffFromJson(const QJsonObject& o)
{
    MountDiffRows d;
    d.normalised = o.value(QLatin1String("basis")).toString() == QLatin1String("normalised");
    for (const QJsonValue& v : o.value(QLatin1String("added")).toArray())
        d.added << mountFromJson(v.toObject());
    for (const QJsonValue& v : o.value(QLatin1String("removed")).toArray())
        d.removed << mountFromJson(v.toObject());
    for (const QJsonValue& v : o.value(QLatin1String("changed")).toArray()) {
        const QJsonObject c = v.toObject();
        MountDiffRows::Changed ch;
        ch.before = mountFromJson(c.value(QLatin1String("before")).toObject());
        ch.after = mountFromJson(c.value(QLatin1String("after")).toObject());
        for (const QJsonValue& f : c.value(QLatin1String("fields")).toArray())
            ch.fields << f.toString();
        d.changed << ch;
    }
    return d;
}

MountDiffRows diffFromCore(const mountlab::MountDiff& d)
{
    MountDiffRows r;
    for (const Mount& m : d.added)
        r.added << mountFromCore(m);
    for (const Mount& m : d.removed)
        r.removed << mountFromCore(m);
    for (const MountChange& c : d.changed) {
        MountDiffRows::Changed ch{mountFromCore(c.before), mountFromCore(c.after), {}};
        for (const std::string& f : c.fields)
            ch.fields << QString::fromStdString(f);
        r.changed << ch;
    }
    return r;
}

} // namespace mountlab::gui
