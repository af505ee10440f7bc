"""Views of 项目管理 (built in the 项目管理 issue)."""
