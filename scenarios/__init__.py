"""The scenario files that ship with finmodel (installed as ``finmodel.scenarios``)."""
