//! Graph drawings as inline SVG: boxes and arrows laid out left to right
//! in layers by `rust-sugiyama` (Gansner's network-simplex layering,
//! barycenter crossing reduction, Brandes–Köpf coordinates), drawn here so
//! every label is escaped and every element carries the CSS classes the
//! report's stylesheet colours.

use std::fmt::Write as _;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use rust_sugiyama::configure::Config;

use super::escape;

/// A box.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// First line (bold).
    pub label: String,
    /// Second line.
    pub detail: String,
    /// CSS classes (`role admin`).
    pub class: String,
    /// Where a click goes (`#role-12`).
    pub href: Option<String>,
    /// Tooltip.
    pub title: String,
}

/// An arrow between two boxes (indices into [`Diagram::shapes`]).
#[derive(Debug, Clone, Default)]
pub struct Link {
    /// Source box.
    pub from: usize,
    /// Target box.
    pub to: usize,
    /// CSS classes (`cross-account public`).
    pub class: String,
    /// Tooltip.
    pub title: String,
    /// Text at the arrow's middle (a count), if any.
    pub label: Option<String>,
}

/// What to draw.
#[derive(Debug, Clone, Default)]
pub struct Diagram {
    /// The boxes.
    pub shapes: Vec<Shape>,
    /// The arrows.
    pub links: Vec<Link>,
}

const BOX_HEIGHT: f64 = 38.0;
const CHAR_WIDTH: f64 = 6.8;
const MAX_LABEL_CHARS: usize = 34;
/// Space between boxes of a layer and between layers.
const SPACING: f64 = 26.0;
/// Components wrap to a new row past this width.
const ROW_WIDTH: f64 = 1200.0;
const MARGIN: f64 = 12.0;
/// Drawings narrower than this are scaled up on screen.
const SMALL_DRAWING: f64 = 800.0;

/// A label cut to [`MAX_LABEL_CHARS`].
fn short(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL_CHARS {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

fn box_width(shape: &Shape) -> f64 {
    let chars = short(&shape.label)
        .chars()
        .count()
        .max(short(&shape.detail).chars().count());
    (chars as f64 * CHAR_WIDTH + 20.0).max(80.0)
}

/// Top-left corners of every shape, and the drawing's size.
fn layout(diagram: &Diagram) -> (Vec<(f64, f64)>, f64, f64) {
    let widths: Vec<f64> = diagram.shapes.iter().map(box_width).collect();
    let mut graph: StableDiGraph<usize, ()> = StableDiGraph::new();
    let nodes: Vec<NodeIndex> = (0..diagram.shapes.len())
        .map(|i| graph.add_node(i))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for link in &diagram.links {
        if link.from == link.to || !seen.insert((link.from, link.to)) {
            continue;
        }
        if let (Some(a), Some(b)) = (nodes.get(link.from), nodes.get(link.to)) {
            graph.add_edge(*a, *b, ());
        }
    }
    let config = Config {
        vertex_spacing: SPACING,
        ..Config::default()
    };
    // Layers run top to bottom in the crate; the report draws them left to
    // right, so each box is given to it turned a quarter.
    let size = |_: NodeIndex, i: &usize| (BOX_HEIGHT, widths.get(*i).copied().unwrap_or(80.0));
    let components = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rust_sugiyama::from_graph(&graph, &size, &config)
    }))
    .unwrap_or_else(|_| fallback(diagram.shapes.len(), &widths));
    let mut corners = vec![(MARGIN, MARGIN); diagram.shapes.len()];
    // Largest components first, packed in rows.
    let mut components: Vec<_> = components
        .into_iter()
        .map(|(coords, _, _)| {
            let placed = wrap_layers(
                coords
                    .into_iter()
                    .map(|(node, (x, y))| (node.index(), y, x))
                    .collect(),
                &widths,
            );
            let min_x = placed
                .iter()
                .map(|(i, x, _)| x - widths.get(*i).copied().unwrap_or(0.0) / 2.0)
                .fold(f64::INFINITY, f64::min);
            let min_y = placed
                .iter()
                .map(|(_, _, y)| y - BOX_HEIGHT / 2.0)
                .fold(f64::INFINITY, f64::min);
            let placed: Vec<(usize, f64, f64)> = placed
                .into_iter()
                .map(|(i, x, y)| {
                    let w = widths.get(i).copied().unwrap_or(0.0);
                    (i, x - w / 2.0 - min_x, y - BOX_HEIGHT / 2.0 - min_y)
                })
                .collect();
            let width = placed
                .iter()
                .map(|(i, x, _)| x + widths.get(*i).copied().unwrap_or(0.0))
                .fold(0.0, f64::max);
            let height = placed
                .iter()
                .map(|(_, _, y)| y + BOX_HEIGHT)
                .fold(0.0, f64::max);
            (placed, width, height)
        })
        .collect();
    components.sort_by(|a, b| {
        (b.0.len(), b.1)
            .partial_cmp(&(a.0.len(), a.1))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let (mut x, mut y, mut row_height, mut total_width) = (MARGIN, MARGIN, 0.0_f64, 0.0_f64);
    for (placed, width, height) in components {
        if x > MARGIN && x + width > ROW_WIDTH {
            x = MARGIN;
            y += row_height + SPACING;
            row_height = 0.0;
        }
        for (i, dx, dy) in placed {
            if let Some(corner) = corners.get_mut(i) {
                *corner = (x + dx, y + dy);
            }
        }
        total_width = total_width.max(x + width);
        row_height = row_height.max(height);
        x += width + SPACING * 2.0;
    }
    (corners, total_width + MARGIN, y + row_height + MARGIN)
}

/// Boxes per column at most: a longer layer is split into side-by-side
/// columns (its boxes dealt out in turn, keeping their order), and the
/// layers after it move right.
const MAX_COLUMN: usize = 12;

/// Splits layers longer than [`MAX_COLUMN`]; takes and gives box centres,
/// layers along x.
fn wrap_layers(placed: Vec<(usize, f64, f64)>, widths: &[f64]) -> Vec<(usize, f64, f64)> {
    let mut layers: std::collections::BTreeMap<i64, Vec<(usize, f64)>> = Default::default();
    for (i, x, y) in placed {
        layers
            .entry((x * 2.0).round() as i64)
            .or_default()
            .push((i, y));
    }
    let mut out = Vec::new();
    let mut shift = 0.0;
    for (key, mut nodes) in layers {
        let x = key as f64 / 2.0 + shift;
        if nodes.len() <= MAX_COLUMN {
            out.extend(nodes.into_iter().map(|(i, y)| (i, x, y)));
            continue;
        }
        nodes.sort_by(|a, b| a.1.total_cmp(&b.1));
        let width = nodes
            .iter()
            .map(|(i, _)| widths.get(*i).copied().unwrap_or(0.0))
            .fold(0.0, f64::max);
        let columns = nodes.len().div_ceil(MAX_COLUMN);
        // The split layer keeps its middle, so its neighbours stay level.
        let middle = match (nodes.first(), nodes.last()) {
            (Some(a), Some(b)) => (a.1 + b.1) / 2.0,
            _ => 0.0,
        };
        let rows = nodes.len().div_ceil(columns);
        let top = middle - (rows - 1) as f64 * (BOX_HEIGHT + SPACING) / 2.0;
        for (k, (i, _)) in nodes.into_iter().enumerate() {
            let (column, row) = (k % columns, k / columns);
            out.push((
                i,
                x + column as f64 * (width + SPACING),
                top + row as f64 * (BOX_HEIGHT + SPACING),
            ));
        }
        shift += (columns - 1) as f64 * (width + SPACING);
    }
    out
}

type Components = Vec<(Vec<(NodeIndex, (f64, f64))>, f64, f64)>;

/// One column per box, should the layout crate fail on some input.
fn fallback(count: usize, widths: &[f64]) -> Components {
    (0..count)
        .map(|i| {
            let w = widths.get(i).copied().unwrap_or(80.0);
            (vec![(NodeIndex::new(i), (0.0, 0.0))], BOX_HEIGHT, w)
        })
        .collect()
}

/// Writes the diagram as an `<svg>` element; `label` names it for screen
/// readers.
pub fn svg(out: &mut String, diagram: &Diagram, label: &str) {
    let (corners, width, height) = layout(diagram);
    let widths: Vec<f64> = diagram.shapes.iter().map(box_width).collect();
    // Small drawings are shown a little larger than their units, so their
    // labels read as well as the page's text; CSS caps the width.
    let scale = if width < SMALL_DRAWING { 1.35 } else { 1.0 };
    let _ = write!(
        out,
        "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{:.0}\" height=\"{:.0}\" role=\"img\" aria-label=\"{}\">",
        width * scale,
        height * scale,
        escape(label)
    );
    out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>");
    // Plain edges first, highlighted ones on top.
    let mut links: Vec<&Link> = diagram.links.iter().collect();
    links.sort_by_key(|l| !l.class.is_empty());
    for link in links {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (corners.get(link.from), corners.get(link.to))
        else {
            continue;
        };
        let w1 = widths.get(link.from).copied().unwrap_or(0.0);
        let w2 = widths.get(link.to).copied().unwrap_or(0.0);
        let (sy, ty) = (y1 + BOX_HEIGHT / 2.0, y2 + BOX_HEIGHT / 2.0);
        let path = if link.from == link.to {
            let (cx, cy) = (x1 + w1, sy);
            format!(
                "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                cx - 10.0,
                y1,
                cx + 30.0,
                y1 - 30.0,
                cx + 30.0,
                cy + 10.0,
                cx,
                cy
            )
        } else if x2 > x1 + w1 {
            let (sx, tx) = (x1 + w1, x2);
            let mid = (sx + tx) / 2.0;
            format!("M{sx:.1},{sy:.1} C{mid:.1},{sy:.1} {mid:.1},{ty:.1} {tx:.1},{ty:.1}")
        } else {
            // Backwards (a cycle) or within a layer: leave from the bottom,
            // arrive from the bottom.
            let (sx, tx) = (x1 + w1 / 2.0, x2 + w2 / 2.0);
            let (sb, tb) = (y1 + BOX_HEIGHT, y2 + BOX_HEIGHT);
            let low = sb.max(tb) + 30.0;
            format!("M{sx:.1},{sb:.1} C{sx:.1},{low:.1} {tx:.1},{low:.1} {tx:.1},{tb:.1}")
        };
        let _ = write!(
            out,
            "<path class=\"edge {}\" d=\"{path}\" marker-end=\"url(#arrow)\"><title>{}</title></path>",
            escape(&link.class),
            escape(&link.title)
        );
        if let Some(label) = &link.label {
            let (mx, my) = ((x1 + w1 + x2) / 2.0, (sy + ty) / 2.0 - 3.0);
            let _ = write!(
                out,
                "<text class=\"edge-label\" x=\"{mx:.1}\" y=\"{my:.1}\" text-anchor=\"middle\">{}</text>",
                escape(label)
            );
        }
    }
    for (i, shape) in diagram.shapes.iter().enumerate() {
        let (Some(&(x, y)), Some(&w)) = (corners.get(i), widths.get(i)) else {
            continue;
        };
        if let Some(href) = &shape.href {
            let _ = write!(out, "<a href=\"{}\">", escape(href));
        }
        let _ = write!(
            out,
            "<g class=\"node {}\"><title>{}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BOX_HEIGHT}\" rx=\"6\"/>",
            escape(&shape.class),
            escape(&shape.title)
        );
        let cx = x + w / 2.0;
        if shape.detail.is_empty() {
            let _ = write!(
                out,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"name\">{}</text>",
                y + BOX_HEIGHT / 2.0 + 4.0,
                escape(&short(&shape.label))
            );
        } else {
            let _ = write!(
                out,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"name\">{}</text><text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"detail\">{}</text>",
                y + 16.0,
                escape(&short(&shape.label)),
                y + 30.0,
                escape(&short(&shape.detail))
            );
        }
        out.push_str("</g>");
        if shape.href.is_some() {
            out.push_str("</a>");
        }
    }
    out.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(label: &str) -> Shape {
        Shape {
            label: label.into(),
            ..Shape::default()
        }
    }

    fn link(from: usize, to: usize) -> Link {
        Link {
            from,
            to,
            ..Link::default()
        }
    }

    #[test]
    fn layers_run_left_to_right_and_boxes_do_not_overlap() {
        let diagram = Diagram {
            shapes: ["a", "b", "c", "d", "lonely"].map(shape).to_vec(),
            links: vec![link(0, 1), link(1, 2), link(0, 2), link(2, 0), link(3, 3)],
        };
        let (corners, width, height) = layout(&diagram);
        assert!(corners[0].0 < corners[1].0 && corners[1].0 < corners[2].0);
        let widths: Vec<f64> = diagram.shapes.iter().map(box_width).collect();
        for i in 0..corners.len() {
            for j in i + 1..corners.len() {
                let (a, b) = (corners[i], corners[j]);
                let apart = a.0 + widths[i] <= b.0
                    || b.0 + widths[j] <= a.0
                    || a.1 + BOX_HEIGHT <= b.1
                    || b.1 + BOX_HEIGHT <= a.1;
                assert!(apart, "{i} and {j} overlap: {a:?} {b:?}");
            }
            assert!(corners[i].0 + widths[i] <= width && corners[i].1 + BOX_HEIGHT <= height);
        }
    }

    #[test]
    fn a_long_layer_is_split_into_columns() {
        let mut diagram = Diagram {
            shapes: vec![shape("hub")],
            links: Vec::new(),
        };
        for i in 0..30 {
            diagram.shapes.push(shape(&format!("leaf {i}")));
            diagram.links.push(link(0, i + 1));
        }
        let (corners, _, height) = layout(&diagram);
        let rows = (30_f64 / 3.0).ceil();
        assert!(height <= MARGIN * 2.0 + rows * (BOX_HEIGHT + SPACING) + BOX_HEIGHT);
        let mut columns: Vec<i64> = corners[1..].iter().map(|c| c.0.round() as i64).collect();
        columns.sort();
        columns.dedup();
        assert_eq!(columns.len(), 3);
        assert!(corners[1..].iter().all(|c| c.0 > corners[0].0));
    }

    #[test]
    fn labels_and_classes_are_escaped() {
        let diagram = Diagram {
            shapes: vec![
                Shape {
                    label: "<script>alert(1)</script>".into(),
                    detail: "a&b".into(),
                    class: "role\" onload=\"x".into(),
                    href: Some("#r\"1".into()),
                    title: "<t>".into(),
                },
                shape("b"),
            ],
            links: vec![Link {
                from: 0,
                to: 1,
                class: "x".into(),
                title: "</title><script>".into(),
                label: Some("<3".into()),
            }],
        };
        let mut out = String::new();
        svg(&mut out, &diagram, "<g>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("onload=\"x"), "{out}");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(out.contains("a&amp;b"));
        assert!(out.contains("&lt;3"));
    }

    #[test]
    fn an_empty_diagram_is_an_empty_drawing() {
        let mut out = String::new();
        svg(&mut out, &Diagram::default(), "nothing");
        assert!(out.starts_with("<svg") && out.ends_with("</svg>"));
    }
}
