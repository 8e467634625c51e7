"""The typed request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from civgraph.auth.audit import AuditLog
from civgraph.auth.principal import Principal
from civgraph.auth.privacy import Privacy
from civgraph.graph.driver import Graph
from civgraph.resolvers.feed import ChangeHub
from civgraph.resolvers.loaders import Loaders, create_loaders
from civgraph.settings import Settings


@dataclass
class Context:
    graph: Graph
    settings: Settings
    loaders: Loaders
    request: Request | WebSocket | None = None
    response: Response | WebSocket | None = None
    # Filled by strawberry from the graphql-transport-ws connection_init payload.
    connection_params: dict[str, Any] = field(default_factory=dict)
    change_hub: ChangeHub | None = None  # the process's; None where nothing subscribes
    # Who asks: from the Authorization header, or (WebSocket) the connection_init payload.
    principal: Principal | None = None
    audit: AuditLog | None = None  # the process's; None: nothing audited (in-process tests)
    subscriptions: int = 0  # running on this WebSocket connection (civgraph.schema.limits)
    # The operation's personal data: masked until Authorize knows the principal may see it.
    privacy: Privacy = field(default_factory=Privacy)

    @property
    def scope(self) -> str | None:
        """The division-code prefix the principal may see; None: everything."""
        return self.principal.region_prefix if self.principal else None

    def for_operation(self, privacy: Privacy) -> Context:
        """This context for one operation with its own privacy: a WebSocket connection's
        context serves every operation on it, some at the same time."""
        return replace(self, privacy=privacy)

    def hub(self) -> ChangeHub:
        if self.change_hub is None:
            raise RuntimeError("no change hub in this context (the app's lifespan starts it)")
        return self.change_hub


def build_context(
    graph: Graph,
    settings: Settings,
    request: Request | WebSocket | None = None,
    response: Response | WebSocket | None = None,
    hub: ChangeHub | None = None,
    principal: Principal | None = None,
    audit: AuditLog | None = None,
) -> Context:
    long_lived = isinstance(request, WebSocket)
    scope = principal.region_prefix if principal else None
    loaders = create_loaders(graph, cache=not long_lived, scope=scope)
    return Context(
        graph, settings, loaders, request, response, change_hub=hub, principal=principal,
        audit=audit,
    )  # fmt: skip
