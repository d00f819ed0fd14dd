//! The accessor tree: `client.customer_portal().subscriptions()` from each operation's group path.

use crate::model::{ErrorVariant, Group, Operation};
use crate::naming::{self, NameSet};

/// The accessor struct's name for a group path (`CustomerPortalSubscriptions`); the root is the client.
pub(crate) fn accessor_name(path: &[String]) -> String {
    if path.is_empty() {
        "Client".to_string()
    } else {
        naming::type_name(&path.join("_"))
    }
}

/// Builds the tree rooted at the client; children and operations keep document order.
pub(super) fn build(ops: &[Operation]) -> Group {
    let mut root =
        Group { name: String::new(), type_name: accessor_name(&[]), children: Vec::new(), operations: Vec::new() };
    for (index, op) in ops.iter().enumerate() {
        let mut node = &mut root;
        for depth in 0..op.group.len() {
            let name = &op.group[depth];
            let position = match node.children.iter().position(|c| &c.name == name) {
                Some(p) => p,
                None => {
                    let type_name = accessor_name(&op.group[..=depth]);
                    node.children.push(Group {
                        name: name.clone(),
                        type_name,
                        children: Vec::new(),
                        operations: Vec::new(),
                    });
                    node.children.len() - 1
                }
            };
            node = &mut node.children[position];
        }
        node.operations.push(index);
    }
    root
}

/// The crate-level `Error`'s variants: one per operation, named after its builder (`List`), with
/// the group's accessor name in front where two groups have a builder of that name.
pub(super) fn error_variants(ops: &[Operation]) -> Vec<ErrorVariant> {
    let mut names = NameSet::with_reserved(naming::CRATE_ERROR_VARIANTS);
    // Counted once: asking every operation of every other was quadratic (a second on graph-beta).
    let mut builders: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for op in ops {
        *builders.entry(op.builder_name.as_str()).or_default() += 1;
    }
    ops.iter()
        .enumerate()
        .map(|(operation, op)| {
            let shared = builders[op.builder_name.as_str()] > 1;
            let base = if shared && !op.group.is_empty() {
                format!("{}{}", accessor_name(&op.group), op.builder_name)
            } else {
                op.builder_name.clone()
            };
            ErrorVariant { name: names.claim(&base), operation }
        })
        .collect()
}
