"""Brand configuration: one YAML file per brand, validated into `BrandConfig` at startup.

A bad file stops startup with `BrandConfigError(path, field)`. Credentials appear by the name of
the environment variable that holds them, never by value.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

BRANDS_DIR = Path(__file__).parent

BillingMode = Literal["strict", "assisted"]
"""How a brand is billed; see `accounting/billing.py` and docs/accounting.md."""

WorkflowName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,47}$")]
"""A workflow's name; which names exist is the workflow registry's (`workflows.registry`), checked
when the service starts."""

WorkflowSection = dict[str, Any] | None
"""A workflow's configuration for this brand (`workflows.<name>`): validated at start by that
workflow's own schema (`workflows.spec.Params`, `Registry.check_brand`), never here: this
package knows no workflow. None: the workflow's defaults."""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (about ten times faster: a thousand brand files)."""


class BrandConfigError(Exception):
    """A brand file that cannot be loaded; names the file and the field."""

    def __init__(self, path: Path, field: str, reason: str) -> None:
        super().__init__(f"{path}: {field}: {reason}")
        self.path = path
        self.field = field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrderNameFormat(_Strict):
    """How the store names its orders around the number (Shopify: Settings > Checkout > Order ID
    format): "#1001" by default, "AC-1001-EU" with prefix "AC-" and suffix "-EU". The router and
    the workflows read an order named this way as that order (`routing/ids.py`)."""

    prefix: str = Field(default="#", max_length=16, pattern=r"^[^\s\d]*$")
    suffix: str = Field(default="", max_length=16, pattern=r"^[^\s\d]*$")


class CommerceConfig(_Strict):
    shop: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")
    """The shop's handle in the commerce store (`/shops/{shop}`), as in `<shop>.myshopify.com`."""
    shopify_token_env: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    recharge_token_env: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    order_name: OrderNameFormat = OrderNameFormat()


EnvVarName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=6)]


class OAuthCarrier(_Strict):
    """A carrier reached with OAuth client credentials (UPS, FedEx, USPS)."""

    cost_per_lookup: Money
    """What one tracking request costs the brand (quota, contract fees), in `carriers.currency`."""
    client_id_env: EnvVarName
    client_secret_env: EnvVarName


class ApiKeyCarrier(_Strict):
    """A carrier reached with an API key header (DHL)."""

    cost_per_lookup: Money
    api_key_env: EnvVarName


class NativeCarriers(_Strict):
    """The carriers this brand has its own account with; the others go through the aggregator."""

    ups: OAuthCarrier | None = None
    fedex: OAuthCarrier | None = None
    usps: OAuthCarrier | None = None
    dhl: ApiKeyCarrier | None = None

    def account(self, carrier: str) -> OAuthCarrier | ApiKeyCarrier | None:
        """The brand's account with `carrier`, if it has a native integration enabled."""
        found = getattr(self, carrier, None) if carrier in type(self).model_fields else None
        return found if isinstance(found, OAuthCarrier | ApiKeyCarrier) else None


class AggregatorConfig(_Strict):
    """The tracking aggregator (EasyPost-style), used only for carriers without a native account."""

    price_per_lookup: Money
    api_key_env: EnvVarName


class CarriersConfig(_Strict):
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    """The currency of every cost and price in this section."""
    native: NativeCarriers = NativeCarriers()
    aggregator: AggregatorConfig | None = None
    """None: carriers without a native account are not tracked at all."""


class RetentionOffer(_Strict):
    """What the brand offers a customer who asks to cancel a subscription, once, before any cancel."""

    text: str = Field(min_length=1, max_length=300)
    """The offer as the customer reads it, e.g. "50% off your next two deliveries"."""
    terms: str = Field(default="", max_length=300)
    """Conditions the customer should know (duration, what happens after)."""


class SubscriptionPolicy(_Strict):
    retention_offer: RetentionOffer | None = None
    """None: no offer; the cancel still needs the customer's confirmation in a later turn."""
    cancellation_reason: str = Field(default="Customer asked support to cancel", min_length=1, max_length=255)
    """The `cancellation_reason` sent to Recharge with every cancel."""


class ReturnsPolicy(_Strict):
    """What the `returns_refunds` workflow may approve in code; anything else is handed off."""

    window_days: int = Field(default=30, ge=0, le=365)
    """Days from the order's first shipment in which a return is accepted."""
    refund_cap: Money = Decimal("100")
    """The largest refund approved without a person, in `currency`."""
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")


PerThousand = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=9)]
MICRO = Decimal("0.000001")


class ModelPrice(_Strict):
    """What the brand's model calls cost, per 1,000 tokens as the endpoint's `usage` counts them.

    The default is gpt-4o-mini's list price (USD 0.15 and 0.60 per million tokens)."""

    per_1k_input: PerThousand = Decimal("0.00015")
    """Per 1,000 prompt tokens, in `currency`."""
    per_1k_output: PerThousand = Decimal("0.0006")
    """Per 1,000 completion tokens, in `currency`."""
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")

    def cost(self, input_tokens: int, output_tokens: int) -> Decimal:
        """One call's cost, rounded half up to a millionth of `currency` (the ledger's unit)."""
        exact = (input_tokens * self.per_1k_input + output_tokens * self.per_1k_output) / 1000
        return exact.quantize(MICRO, rounding=ROUND_HALF_UP)


def _is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def webhook_url(url: str) -> str:
    """`url` if it is https, or http to a loopback host (traffic that never leaves the machine)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("an absolute https:// URL")
    if parts.username is not None or parts.password is not None:
        raise ValueError("no credentials in the URL: the signing secret is named by secret_env")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError("https, or http only to a loopback host (localhost, 127.0.0.1, ::1)")
    _ = parts.port  # a malformed port raises ValueError here, at load time
    return url


class WebhookConfig(_Strict):
    """Where signed conversation events are POSTed (`service/webhooks.py`, docs/webhooks.md)."""

    url: Annotated[str, Field(max_length=2048), AfterValidator(webhook_url)]
    secret_env: EnvVarName
    """The variable holding the signing secret; unset in dev: `<brand>-webhook-dev-secret`."""


class TurnLimits(_Strict):
    """How many turns the brand may start and have in flight, per API process (`service/admission.py`):
    a turn over either limit is answered 429 with Retry-After, so one brand's burst never queues
    ahead of other brands' turns."""

    turns_per_second: float = Field(default=50, gt=0, le=10_000)
    """The sustained rate: a token bucket refilled this fast..."""
    burst: int = Field(default=200, ge=1, le=100_000)
    """...holding at most this many turns (a quiet brand may start this many at once)."""
    concurrent_turns: int = Field(default=32, ge=1, le=10_000)
    """Turns in flight at once, those queued behind their conversation's lock included."""


class BrandConfig(_Strict):
    brand_id: str = Field(pattern=r"^[a-z][a-z0-9_-]{1,31}$")
    display_name: str
    tone: str = "friendly and concise"
    workflows: tuple[WorkflowName, ...] | dict[WorkflowName, WorkflowSection]
    """The enabled workflows: a list of names, or a mapping of name to that workflow's configuration
    (`workflows.<name>`); either way, iterating gives the names."""
    languages: tuple[Annotated[str, Field(pattern=r"^[a-z]{2}$")], ...] = Field(default=("en",), min_length=1)
    """The languages (ISO 639-1) the brand answers in; a message surely in another is handed to a
    person with reason `language` (routing/language.py). Another entry changes routing only: the
    replies stay the brand's usual ones."""
    commerce: CommerceConfig
    carriers: CarriersConfig = CarriersConfig()
    subscriptions: SubscriptionPolicy = SubscriptionPolicy()
    returns: ReturnsPolicy = ReturnsPolicy()
    api_key_sha256: tuple[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")], ...] = ()
    """SHA-256 hex digests of the production keys; list two while rotating (both are accepted)."""
    dev_api_keys: tuple[str, ...] = ()
    price_per_automated_conversation: float = 0.0
    billing_mode: BillingMode = "strict"
    """`strict`: only `ai_only` is billed. `assisted`: `ai_and_human` too, at `assisted_share` of the price."""
    assisted_share: float = Field(default=0.5, ge=0, le=1)
    while_awaiting_human: Literal["run_workflows", "acknowledge_only"] = "run_workflows"
    """While a person is awaited: `run_workflows` runs the customer's other enabled asks (the partial
    handoff goes on); `acknowledge_only` only acknowledges, whatever is asked."""
    inactivity_window_hours: float = Field(default=72, gt=0, le=24 * 366)
    """An open conversation quiet this long is billed as it stands."""
    webhook: WebhookConfig | None = None
    """None: no events are sent."""
    show_order_notes: bool = False
    """Whether a reply may quote an order's note (one the injection detector does not flag); by
    default a reply only says that the order has a note (`workflows/kit/reply_guard.py`)."""
    limits: TurnLimits = TurnLimits()
    """The brand's rate and concurrency limits on turns."""
    model_price: ModelPrice = ModelPrice()
    """What each model call costs the brand (its tokens at these prices go to the cost ledger)."""
    turn_deadline_s: float = Field(default=25, ge=5, le=120)
    """Seconds from when a turn holds its conversation's lock to its answer: model calls, their
    retries, lookups and writes share it; what is unfinished then is handed off (`deadline`)."""
    retention_days: int | None = Field(default=None, ge=1, le=3650)
    """Conversations quiet for longer are erased (text and checkpoints; billing kept) by
    `python -m service retention`; None: kept until erased (`DELETE /v1/customers/{id}`)."""

    def credential_variables(self) -> dict[str, str]:
        """Every credential variable this brand names, by its field (`commerce.shopify_token_env`:
        `ACME_SHOPIFY_TOKEN`): the `*_env` fields of the file, in file order."""
        return dict(_env_fields(self.model_dump(), ""))

    def workflow_section(self, name: str) -> WorkflowSection:
        """This brand's configuration of workflow `name` (`workflows.<name>`), None when it gives none."""
        return self.workflows.get(name) if isinstance(self.workflows, dict) else None

    def key_hashes(self, *, dev: bool) -> tuple[str, ...]:
        """Hashes of the keys accepted for this brand; dev keys only in the dev environment."""
        dev_hashes = tuple(hash_key(k) for k in self.dev_api_keys) if dev else ()
        return self.api_key_sha256 + dev_hashes


def _env_fields(data: Mapping[str, object], prefix: str) -> Iterator[tuple[str, str]]:
    for key, value in data.items():
        if isinstance(value, Mapping):
            yield from _env_fields(value, f"{prefix}{key}.")
        elif key.endswith("_env") and isinstance(value, str):
            yield f"{prefix}{key}", value


def hash_key(key: str) -> str:
    """A key's digest as `api_key_sha256` stores it: lower-case hex SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(key.encode()).hexdigest()


def load_brand_file(path: Path) -> BrandConfig:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # a safe loader
        return BrandConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "<root>"
        raise BrandConfigError(path, field, first["msg"]) from exc
    except yaml.YAMLError as exc:
        raise BrandConfigError(path, "<yaml>", str(exc)) from exc


def load_brands(directory: Path = BRANDS_DIR) -> Mapping[str, BrandConfig]:
    """Load every `*.yaml` brand in `directory`, keyed by brand id; a folder without any is an error."""
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        reason = "no brand files (*.yaml) in this folder" if directory.is_dir() else "no such folder"
        raise BrandConfigError(directory, "<folder>", reason)
    brands: dict[str, BrandConfig] = {}
    for path in paths:
        cfg = load_brand_file(path)
        if cfg.brand_id in brands:
            raise BrandConfigError(path, "brand_id", f"duplicate brand {cfg.brand_id!r}")
        brands[cfg.brand_id] = cfg
    return brands


@cache
def default_brands() -> Mapping[str, BrandConfig]:
    return load_brands(BRANDS_DIR)
