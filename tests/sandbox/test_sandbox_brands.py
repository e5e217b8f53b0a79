"""The sandbox derives its shops, seed data and dev accounts from the brand files: a new brand file
is a new shop with generic seed data, and dev accounts on every server, with no code change.

The demo brands' data stays as tests/sandbox/test_commerce_server.py asserts it; here a third brand
(`initech`, whose shop `initech-shop` differs from its id) is added beside them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from brands import BRANDS_DIR, load_brands
from sandbox.accounts import carrier_accounts, commerce_tokens
from sandbox.brands import BrandFileError, SandboxBrand, demo_brands, read_brands
from sandbox.carriers.ups import create_app as create_ups
from sandbox.commerce.generic import GENERIC_UPS_TRACKING_NUMBER
from sandbox.commerce_server import create_app as create_commerce
from sandbox.registry import read_sandbox_file
from sandbox.serve import ServerThread
from tests.utils.apiproc import ROOT
from tools.carriers.detect import detect

INITECH = SandboxBrand("initech", "initech-shop")
ORDERS = "/shops/{shop}/admin/api/2024-10/orders.json"
SUBSCRIPTIONS = "/shops/{shop}/recharge/subscriptions"


def write_brand(directory: Path, brand_id: str, shop: str, **changes: object) -> Path:
    """A brand file like acme's, for another brand and shop."""
    data = yaml.safe_load((BRANDS_DIR / "acme.yaml").read_text(encoding="utf-8"))
    data.update(brand_id=brand_id, display_name=brand_id.title(), dev_api_keys=[f"{brand_id}-dev-key"])
    data["commerce"]["shop"] = shop
    data.update(changes)
    path = directory / f"{brand_id}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def brands_dir(tmp_path: Path) -> Path:
    """The repository's brand files plus initech's."""
    folder = tmp_path / "brands"
    folder.mkdir()
    for source in BRANDS_DIR.glob("*.yaml"):
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    write_brand(folder, INITECH.brand_id, INITECH.shop)
    return folder


def shopify(shop: str) -> dict[str, str]:
    return {"X-Shopify-Access-Token": commerce_tokens(shop)["shopify"]}


def recharge(shop: str) -> dict[str, str]:
    return {"X-Recharge-Access-Token": commerce_tokens(shop)["recharge"], "X-Recharge-Version": "2021-11"}


@pytest.fixture
def commerce() -> Iterator[httpx.Client]:
    with (
        ServerThread(create_commerce(brands=[*demo_brands(), INITECH])) as server,
        httpx.Client(base_url=server.url, timeout=5) as http,
    ):
        yield http


# --- Reading the brand files ----------------------------------------------------------------------


def test_that_the_sandbox_reads_the_brands_and_shops_the_service_loads(brands_dir: Path) -> None:
    for folder in (BRANDS_DIR, brands_dir):
        service = [(cfg.brand_id, cfg.commerce.shop) for cfg in load_brands(folder).values()]
        assert [(b.brand_id, b.shop) for b in read_brands(folder)] == service
    assert read_brands(brands_dir) == (
        SandboxBrand("acme", "acme"),
        SandboxBrand("globex", "globex"),
        INITECH,
    )
    assert demo_brands() == read_brands(BRANDS_DIR)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("brand_id: initech\ncommerce: {shopify_token_env: X}\n", "commerce.shop"),
        ("brand_id: 7\ncommerce: {shop: initech}\n", "brand_id"),
        ("- brand_id: initech\n", "<root>"),
        ("brand_id: [initech\n", "<yaml>"),
    ],
)
def test_that_a_brand_file_the_sandbox_cannot_read_names_the_file_and_the_field(
    tmp_path: Path, text: str, field: str
) -> None:
    (tmp_path / "initech.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BrandFileError) as caught:
        read_brands(tmp_path)
    assert (caught.value.path, caught.value.field) == (tmp_path / "initech.yaml", field)
    assert str(caught.value).startswith(f"{tmp_path / 'initech.yaml'}: {field}: ")


def test_that_a_folder_without_brand_files_or_with_a_brand_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BrandFileError, match="no such folder"):
        read_brands(tmp_path / "nowhere")
    with pytest.raises(BrandFileError, match=r"no brand files \(\*\.yaml\)"):
        read_brands(tmp_path)
    write_brand(tmp_path, "initech", "initech")
    (tmp_path / "copy.yaml").write_text((tmp_path / "initech.yaml").read_text())
    with pytest.raises(BrandFileError, match="duplicate brand 'initech'") as caught:
        read_brands(tmp_path)
    assert caught.value.path == tmp_path / "initech.yaml"  # `copy.yaml` sorts first


# --- The commerce store ---------------------------------------------------------------------------


def test_that_a_new_brands_shop_holds_the_generic_seed_data_under_its_own_dev_tokens(
    commerce: httpx.Client,
) -> None:
    url = ORDERS.format(shop=INITECH.shop)
    email = "sam@initech-shop.example.com"
    orders = commerce.get(url, params={"email": email, "status": "any"}, headers=shopify(INITECH.shop)).json()
    subs = commerce.get(SUBSCRIPTIONS.format(shop=INITECH.shop), headers=recharge(INITECH.shop)).json()
    assert [(o["name"], o["fulfillment_status"], o["total_price"]) for o in orders["orders"]] == [
        ("#9002", None, "25.00"),
        ("#9001", "fulfilled", "70.00"),
    ]
    shipped = orders["orders"][1]["fulfillments"][0]
    assert (shipped["tracking_company"], shipped["tracking_number"]) == ("UPS", GENERIC_UPS_TRACKING_NUMBER)
    assert [(s["id"], s["email"], s["status"], s["price"]) for s in subs["subscriptions"]] == [
        ("sub_9001", email, "active", "12.50")
    ]


def test_that_each_shop_accepts_only_its_own_dev_tokens(commerce: httpx.Client) -> None:
    def status(shop: str, token_of: str) -> int:
        return commerce.get(
            ORDERS.format(shop=shop), params={"status": "any"}, headers=shopify(token_of)
        ).status_code

    assert [
        status("initech-shop", "initech-shop"),
        status("initech-shop", "acme"),
        status("acme", "initech-shop"),
    ] == [
        200,
        401,
        401,
    ]
    assert (
        commerce.get(ORDERS.format(shop="initech"), headers=shopify("initech")).status_code == 404
    )  # the id is no shop


def test_that_the_demo_shops_keep_their_data_beside_a_new_brand(commerce: httpx.Client) -> None:
    shops = commerce.get("/_admin/state").json()["shops"]
    assert {name: [o["name"] for o in shop["orders"]] for name, shop in shops.items()} == {
        "acme": ["#1001", "#1002", "#1003", "#1004"],
        "globex": ["#2001"],
        "initech-shop": ["#9001", "#9002"],
    }
    assert commerce.post("/_admin/reset").json() == {"reset": True}
    assert sorted(commerce.get("/_admin/state").json()["shops"]) == ["acme", "globex", "initech-shop"]


def test_that_shops_without_demo_data_differ_only_in_their_customers_email() -> None:
    state = create_commerce(brands=[INITECH, SandboxBrand("hooli", "hooli")]).state.store.state()["shops"]
    initech, hooli = state["initech-shop"], state["hooli"]
    assert [o["email"] for o in hooli["orders"]] == ["sam@hooli.example.com"] * 2
    assert (
        [o["id"] for o in initech["orders"]]
        == [o["id"] for o in hooli["orders"]]
        == [4900000009001, 4900000009002]
    )
    swapped = str(hooli).replace("sam@hooli.example.com", "sam@initech-shop.example.com")
    assert swapped == str(initech)


def test_that_the_generic_tracking_number_is_a_ups_number_with_a_valid_check_digit() -> None:
    found = detect(GENERIC_UPS_TRACKING_NUMBER)
    assert found is not None and found.carrier == "ups"
    assert detect(GENERIC_UPS_TRACKING_NUMBER[:-1] + "3") is None


# --- The carriers ---------------------------------------------------------------------------------


def test_that_a_new_brands_dev_account_opens_ups_and_tracks_its_generic_order() -> None:
    accounts = carrier_accounts("ups", [*demo_brands(), INITECH])
    with ServerThread(create_ups(accounts)) as server, httpx.Client(base_url=server.url, timeout=5) as http:
        token = http.post(
            "/security/v1/oauth/token",
            auth=("initech-ups-dev-client-id", "initech-ups-dev-client-secret"),
            data={"grant_type": "client_credentials"},
        )
        bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        tracked = http.get(f"/api/track/v1/details/{GENERIC_UPS_TRACKING_NUMBER}", headers=bearer)
        stranger = http.post(
            "/security/v1/oauth/token",
            auth=("hooli-ups-dev-client-id", "hooli-ups-dev-client-secret"),
            data={"grant_type": "client_credentials"},
        )
    package = tracked.json()["trackResponse"]["shipment"][0]["package"][0]
    assert (token.status_code, tracked.status_code, stranger.status_code) == (200, 200, 401)
    assert package["activity"][0]["status"]["description"] == "Arrived at Facility"


def test_that_dev_accounts_are_named_by_brand_and_unknown_servers_are_refused() -> None:
    two = [SandboxBrand("acme", "acme"), INITECH]
    assert carrier_accounts("dhl", two) == {"acme": "acme-dhl-dev-key", "initech": "initech-dhl-dev-key"}
    assert carrier_accounts("usps", [INITECH]) == {
        "initech-usps-dev-client-id": "initech-usps-dev-client-secret"
    }
    with pytest.raises(ValueError, match="no dev accounts for server 'royalmail'"):
        carrier_accounts("royalmail", two)


# --- The runner -----------------------------------------------------------------------------------


def test_that_python_m_sandbox_serves_the_brands_dir_it_is_given(tmp_path: Path, brands_dir: Path) -> None:
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "SUPPORT_BRANDS_DIR"}
    cmd = [sys.executable, "-m", "sandbox", "--data-dir", str(data_dir), "--brands-dir", str(brands_dir)]
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        content = wait_for(data_dir, process)
        orders = httpx.get(
            content["commerce"] + ORDERS.format(shop=INITECH.shop),
            params={"name": "9001", "status": "any"},
            headers=shopify(INITECH.shop),
        )
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert [o["name"] for o in orders.json()["orders"]] == ["#9001"]


def test_that_python_m_sandbox_stops_at_once_on_a_brands_dir_it_cannot_read(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sandbox",
            "--data-dir",
            str(tmp_path),
            "--brands-dir",
            str(tmp_path / "nowhere"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr.strip()) == (
        1,
        f"python -m sandbox: {tmp_path / 'nowhere'}: <folder>: no such folder",
    )
    assert list(tmp_path.iterdir()) == []


def wait_for(data_dir: Path, process: subprocess.Popen[bytes], seconds: float = 20.0) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        content = read_sandbox_file(data_dir)
        if content is not None:
            return content
        time.sleep(0.05)
    raise AssertionError(f"no sandbox.json in {data_dir} after {seconds}s")
