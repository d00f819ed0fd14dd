//! The accessor tree: `client.customer_portal().subscriptions()` from each operation's group path.

use crate::model::{Group, Operation};
use crate::naming;

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
