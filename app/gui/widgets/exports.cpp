#include "exports.h"

#include "htmlreport.h"
#include "mounttreeitem.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgGenerator>
#include <algorithm>

namespace mountlab::gui {

namespace {
// MainWindow's translation context, where these strings were first.
QString tr(const char* text) { return QCoreApplication::translate("mountlab::gui::MainWindow", text); }

// The trees as the lab is, without the window's selection frame (a reader of the file
// did not click anything); the selection is back afterwards, and nobody is told of it.
void renderTrees(MountTreeScene& scene, QPainter* p, const QRectF& target, const QRectF& source)
{
    MountTreeItem* tree = scene.tree();
    const int pane = tree->selectedPane(), node = tree->selectedNode();
    const QSignalBlocker quiet(tree);
    tree->select(-1, -1);
    scene.render(p, target, source);
    tree->select(pane, node);
}

// Inline SVG that fits the page: the document without its XML prologue, and without a
// fixed size (the viewBox keeps its proportions; the page's CSS gives the width).
QString inlineSvg(const QByteArray& document)
{
    QString svg = QString::fromUtf8(document);
    const qsizetype start = svg.indexOf(QLatin1String("<svg"));
    if (start < 0)
        return {};
    svg = svg.mid(start);
    const qsizetype tagEnd = svg.indexOf(QLatin1Char('>'));
    QString tag = svg.left(tagEnd);
    tag.remove(QRegularExpression(QStringLiteral("\\s(width|height)=\"[^\"]*\"")));
    return tag + svg.mid(tagEnd);
}
} // namespace

bool exportTreeSvg(MountTreeScene& scene, const QString& path)
{
    const QRectF r = scene.sceneRect();
    QSvgGenerator gen;
    gen.setFileName(path);
    gen.setSize(r.size().toSize());
    gen.setViewBox(QRectF(QPointF(0, 0), r.size()));
    gen.setTitle(tr("MountLab mount trees"));
    gen.setDescription(tr("Lab host and container mount trees, coloured by propagation"));
    QPainter p(&gen);
    renderTrees(scene, &p, QRectF(QPointF(0, 0), r.size()), r);
    return p.end();
}

bool exportTreePng(MountTreeScene& scene, const QColor& background, const QString& path)
{
    const QRectF r = scene.sceneRect();
    // A 10,000-mount table would make a gigantic image: cap it at 16k pixels high.
    const double scale = std::min(2.0, 16000.0 / std::max(1.0, r.height()));
    QImage img((r.size() * scale).toSize(), QImage::Format_ARGB32);
    img.fill(background);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    renderTrees(scene, &p, QRectF(QPointF(0, 0), r.size() * scale), r);
    p.end();
    return img.save(path);
}

bool exportHtmlReport(MountTreeScene& scene, const QVector<QByteArray>& recorded, const QString& path,
                      const Progress* progress)
{
    QBuffer svg;
    svg.open(QIODevice::WriteOnly);
    {
        const QRectF r = scene.sceneRect();
        QSvgGenerator gen;
        gen.setOutputDevice(&svg);
        gen.setSize(r.size().toSize());
        gen.setViewBox(QRectF(QPointF(0, 0), r.size()));
        QPainter p(&gen);
        renderTrees(scene, &p, QRectF(QPointF(0, 0), r.size()), r);
    }
    const QString svgText = inlineSvg(svg.data());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(htmlReport(recorded, svgText, progress).toUtf8());
    return true;
}

} // namespace mountlab::gui
