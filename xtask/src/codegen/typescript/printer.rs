//! [`Ts`] → text: operator precedence, line breaks and JSDoc layout.
//!
//! A union is printed on one line when it is short and undocumented, else one member per
//! line, each after its own JSDoc; an object type has one property per line.

use super::ir::{Member, Prop, Ts};

/// Binding strength, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Union,
    Intersection,
    Primary,
}

/// A JSDoc block at `indent`, ending with `\n`; empty when there is nothing to say.
pub(super) fn jsdoc(lines: &[String], indent: usize) -> String {
    let pad = " ".repeat(indent);
    match lines {
        [] => String::new(),
        [line] if indent + line.len() <= 94 => format!("{pad}/** {line} */\n"),
        lines => {
            let mut out = format!("{pad}/**\n");
            for line in lines {
                if line.is_empty() {
                    out.push_str(&format!("{pad} *\n"));
                } else {
                    out.push_str(&format!("{pad} * {line}\n"));
                }
            }
            out.push_str(&format!("{pad} */\n"));
            out
        }
    }
}

fn prec(ts: &Ts) -> Prec {
    match ts {
        Ts::Union(_) => Prec::Union,
        Ts::Intersection(_) => Prec::Intersection,
        _ => Prec::Primary,
    }
}

/// `" "` before an expression on the same line, nothing before a multi-line union (which
/// starts with its own line break).
pub(super) fn separator(text: &str) -> &'static str {
    if text.starts_with('\n') { "" } else { " " }
}

/// Prints `ts` as an operand that must bind at least as tightly as `min`.
fn print_operand(ts: &Ts, min: Prec, indent: usize) -> String {
    let text = print(ts, indent);
    if prec(ts) >= min {
        text
    } else if text.starts_with('\n') {
        format!("({text}\n{})", " ".repeat(indent))
    } else {
        format!("({text})")
    }
}

/// Prints `ts` as if it started on a line indented by `indent` spaces.
pub(super) fn print(ts: &Ts, indent: usize) -> String {
    match ts {
        Ts::Raw(text) | Ts::Ref(text) => text.clone(),
        Ts::Unsupported(reason) => format!("unknown /* unsupported: {reason} */"),
        Ts::Array(item) => format!("{}[]", print_operand(item, Prec::Primary, indent)),
        Ts::Tuple { items, optional_from, rest } => {
            let mut elements: Vec<String> = items
                .iter()
                .enumerate()
                .map(
                    |(i, item)| {
                        if i < *optional_from { print(item, indent) } else { format!("{}?", print_operand(item, Prec::Primary, indent)) }
                    },
                )
                .collect();
            if let Some(rest) = rest {
                elements.push(format!("...{}[]", print_operand(rest, Prec::Primary, indent)));
            }
            format!("[{}]", elements.join(", "))
        }
        Ts::Object { props, index } => print_object(props, index.as_deref(), indent),
        Ts::Union(members) => print_union(members, indent),
        Ts::Intersection(parts) => parts.iter().map(|part| print_operand(part, Prec::Primary, indent)).collect::<Vec<_>>().join(" & "),
    }
}

fn print_object(props: &[Prop], index: Option<&Ts>, indent: usize) -> String {
    if props.is_empty() {
        return match index {
            Some(index) => format!("{{ [key: string]: {} }}", print(index, indent)),
            None => "{ [key: string]: never }".to_owned(),
        };
    }
    let pad = " ".repeat(indent + 2);
    let mut out = String::from("{\n");
    for prop in props {
        let ty = print(&prop.ty, indent + 2);
        out.push_str(&jsdoc(&prop.doc, indent + 2));
        out.push_str(&format!("{pad}{}{}:{}{ty};\n", prop.name, if prop.optional { "?" } else { "" }, separator(&ty),));
    }
    if let Some(index) = index {
        let ty = print(index, indent + 2);
        out.push_str(&format!("{pad}[key: string]:{}{ty};\n", separator(&ty)));
    }
    out.push_str(&" ".repeat(indent));
    out.push('}');
    out
}

fn print_union(members: &[Member], indent: usize) -> String {
    let one_line = members.iter().map(|member| print_operand(&member.ty, Prec::Primary, indent)).collect::<Vec<_>>().join(" | ");
    let documented = members.iter().any(|member| !member.doc.is_empty());
    if !documented && !one_line.contains('\n') && indent + one_line.len() <= 72 {
        return one_line;
    }
    let pad = " ".repeat(indent + 2);
    let mut out = String::new();
    for member in members {
        out.push('\n');
        out.push_str(&jsdoc(&member.doc, indent + 2));
        out.push_str(&pad);
        out.push_str("| ");
        out.push_str(&print_operand(&member.ty, Prec::Primary, indent + 4));
    }
    out
}
