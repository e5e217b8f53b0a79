"""`DELETE /v1/customers/{customer_id}`: erase one customer's conversations (`service.erasure`).

Tier one: the brand comes from the API key, and only this brand's conversations of that customer are
erased. Idempotent: a second call erases nothing and answers zeros.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import Brand, Svc
from api.schemas import problems
from service.erasure import erase_customer
from service.results import ErasureOut

router = APIRouter(tags=["customers"])

CustomerId = Annotated[
    str,
    Path(min_length=1, max_length=128, pattern=r"^[^\x00]+$", description="the customer's `customer.id`"),
]


@router.delete("/v1/customers/{customer_id}", response_model=ErasureOut, responses=problems(401))
async def delete_customer(customer_id: CustomerId, brand: Brand, svc: Svc) -> ErasureOut:
    """Erase the text of every conversation this customer wrote in (messages, stored responses, owner
    rows, run history, checkpoints; tracking numbers in the cost ledger); billing counts are kept."""
    return await erase_customer(svc, brand, customer_id)
