"""Flask commands. Every module in this package that defines register(app) is picked up."""
import importlib
import pkgutil


def register(app) -> None:
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        if hasattr(module, "register"):
            module.register(app)
