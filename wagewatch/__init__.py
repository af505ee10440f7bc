"""WageWatch: the regulator-side wage payment monitoring platform. create_app() builds the Flask app."""
from pathlib import Path

from flask import Flask, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from wagewatch import assets, observability, security
from wagewatch.config import check_production, load_config
from wagewatch.extensions import compress, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"))
    app.config.update(load_config())
    if test_config:
        app.config.update(test_config)
    check_production(app.config)
    if app.config["PROXY_HOPS"]:
        # Behind a reverse proxy the client address (rate limits, audit log) comes from X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "info"
    limiter.init_app(app)
    compress.init_app(app)
    security.init_app(app)
    observability.init_app(app)
    assets.init_app(app)
    from wagewatch import templating
    templating.init_app(app)
    from wagewatch import jobs_runner, transactions
    jobs_runner.init_app(app)
    transactions.init_app(app)
    from wagewatch import htmx, listing
    listing.init_app(app)
    htmx.init_app(app)
    from wagewatch import query_count
    query_count.init_app(app)  # opt-in (WAGEWATCH_COUNT_QUERIES): the benches' X-Query-Count header


def register_blueprints(app: Flask) -> None:
    from wagewatch import errors
    from wagewatch.admin import access as admin_access
    from wagewatch.admin import bp as admin_bp
    from wagewatch.api import bp as api_bp
    from wagewatch.attendance import bp as attendance_bp
    from wagewatch.auth import bp as auth_bp
    from wagewatch.bulletin import bp as bulletin_bp
    from wagewatch.complaints import bp as complaints_bp
    from wagewatch.exports import bp as exports_bp
    from wagewatch.home import bp as home_bp
    from wagewatch.ops import bp as ops_bp
    from wagewatch.projects import bp as projects_bp
    from wagewatch.realname import bp as realname_bp
    from wagewatch.selector import bp as selector_bp
    from wagewatch.wages import bp as wages_bp
    from wagewatch.wip import register_unbuilt_screens

    for blueprint in (auth_bp, home_bp, projects_bp, selector_bp, complaints_bp, exports_bp, api_bp, wages_bp,
                      admin_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(ops_bp)
    app.register_blueprint(realname_bp)
    app.register_blueprint(bulletin_bp)
    app.register_blueprint(attendance_bp)
    csrf.exempt(api_bp)  # machine clients authenticate with bearer tokens, not cookies
    admin_access.init_app(app)
    register_unbuilt_screens(app)
    errors.init_app(app)


def register_request_hooks(app: Flask) -> None:
    from wagewatch.auth.passwords import expired

    allowed = {"auth.change_password", "auth.logout", "auth.login", "assets.serve", "static"}

    @app.before_request
    def force_password_change():
        if request.endpoint in allowed or request.blueprint == "api":
            return None
        if current_user.is_authenticated and expired(current_user):
            return redirect(url_for("auth.change_password"))
        return None

    @app.teardown_request
    def forget_request_state(_error):
        # g holds per-request state (the loaded user, the CSRF token). When an application context outlives
        # a request (tests, CLI) it must not leak into the next request: the user is re-validated against
        # its server-side session every time.
        for name in list(vars(g)):
            g.pop(name, None)


def register_cli(app: Flask) -> None:
    from wagewatch.cli import register

    register(app)
