"""Sphinx configuration: the Markdown pages (MyST) and the API reference from the docstrings.

Built as numpy builds its reference: autosummary pages rendered with numpydoc, in the
pydata theme. CI builds it with warnings as errors::

    sphinx-build -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import types
import typing
from typing import Any

import pydantic

import recogmodel
from recogmodel import EstimateBase

project = "recogmodel"
author = "recogmodel developers"
copyright = "recogmodel developers"
release = recogmodel.__version__
version = release

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "api/_templates"]
templates_path = ["api/_templates"]

# -- the pages ------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 4  # `page.md#a-heading` links work as they do on a forge

# -- the API reference -----------------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True  # the public names live in subpackages, shown from the top
autodoc_typehints = "signature"  # the types in the signature; the sections say what they mean
autodoc_typehints_format = "short"
# numpy's array aliases, kept as the code writes them rather than expanded into unions
autodoc_type_aliases = {
    name: name for name in ("ArrayLike", "NDArray", "FloatArray", "BoolArray", "IntArray")
}
autodoc_member_order = "bysource"
# pydantic's own machinery is not part of the API: document what the models declare
autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
    "exclude-members": "model_config, model_post_init",
}

numpydoc_show_class_members = False  # the class template lists members through autodoc
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# -- output ----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"recogmodel {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path: list[str] = []


# -- pydantic models: their fields, as numpydoc attributes --------------------------------------
# A model's fields are its API (what a file may say), but pydantic keeps them off the class, so
# autodoc would list none: each model's page gets an Attributes section from `model_fields`,
# with the field's own description, and a signature with the field names only.


def type_name(annotation: Any) -> str:
    """A short, readable name of a field's type: ``estimate``, ``dict[str, Effect]``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        if all(isinstance(a, type) and issubclass(a, EstimateBase) for a in kept):
            return "estimate"
        optional = " or None" if len(kept) < len(args) else ""
        return " or ".join(type_name(a) for a in kept) + optional
    if origin is typing.Literal:
        return "{" + ", ".join(repr(a) for a in args) + "}"
    if origin is not None:
        return f"{origin.__name__}[{', '.join(type_name(a) for a in args)}]"
    if annotation is type(None):
        return "None"
    return getattr(annotation, "__name__", str(annotation))


def is_model(obj: Any) -> bool:
    """Whether `obj` is a pydantic model class."""
    return isinstance(obj, type) and issubclass(obj, pydantic.BaseModel)


def document_fields(
    app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Append an Attributes section listing a model's fields (before numpydoc reads it)."""
    if what != "class" or not is_model(obj) or not obj.model_fields:
        return
    lines += ["", "Attributes", "----------"]
    for field, info in obj.model_fields.items():
        default = "" if info.is_required() else ", optional"
        lines.append(f"{field} : {type_name(info.annotation)}{default}")
        lines.append(f"    {info.description or ''}")
    lines.append("")


def field_signature(
    app: Any, what: str, name: str, obj: Any, options: Any, signature: Any, annotation: Any
) -> tuple[str, Any] | None:
    """A model's signature with its field names only (the types are in its Attributes)."""
    if what != "class" or not is_model(obj):
        return None
    if not obj.model_fields:  # a base class of models: not built itself
        return "", annotation
    return "(*, " + ", ".join(obj.model_fields) + ")", annotation


def setup(app: Any) -> None:
    """Hook the model helpers in before numpydoc (priority 500) parses the docstrings."""
    app.connect("autodoc-process-docstring", document_fields, priority=400)
    app.connect("autodoc-process-signature", field_signature)
