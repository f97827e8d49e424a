pub(crate) fn load(_load: &mut super::FileLoad<'_>, _root: &crate::value::Value) {}
