"""Build moto's per-service request routing ahead of the first request that needs it.

moto sets up each service the first time a request reaches it: the service's Flask app, its model,
and for REST services (S3, Lambda, GuardDuty) a werkzeug URL map of every operation (~60 ms of CPU
for S3). A
lab's first check met all of that at once (0.57-0.68 s of CPU against 0.24 s for every later
check). Warming it with requests is not an option once a lab has started: every request is
recorded and draws from moto's seeded id generator, and the workshop replay depends on both. These
calls build the same routing without a request, so nothing in the account or the recording changes.

They reach into moto's internals (`moto.core.routing`): an optimisation only, so a moto that moved
them costs the first check its speed and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable

_dispatcher = None  # moto's DomainDispatcherApplication in the sandbox process


def register_dispatcher(app) -> None:
    """The sandbox's moto app, whose per-service Flask apps `prepare_routing` builds."""
    global _dispatcher
    _dispatcher = app


def _prepare_app(backend: str) -> None:
    dispatcher = _dispatcher
    if dispatcher is None:
        return
    with dispatcher.lock:  # the lock moto's own get_application takes around the same dict
        if backend not in dispatcher.app_instances:
            dispatcher.app_instances[backend] = dispatcher.create_app(backend)


def prepare_routing(services: Iterable[str]) -> None:
    """Build moto's routing for these services (each step is cached by moto: a second call is cheap)."""
    try:
        from moto.core import routing, utils
    except ImportError:
        return
    for service in sorted(set(services)):
        try:
            model = utils.get_service_model(service)
            routing.get_service_router(service)._get_router(model.protocol)
            utils.service_name_from_moto_package_name(service.replace("-", ""))
            _prepare_app(service.replace("-", ""))  # moto names its back ends without hyphens
        except Exception:  # noqa: BLE001 - see the module docstring: speed only
            continue
