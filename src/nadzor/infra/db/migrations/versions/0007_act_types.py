"""Acts of supervision (issue 9): the act types as administrator-edited data, seeded with the five
types of I.58 — their default response term left EMPTY until an administrator fills it with its
source (the Law «О прокуратуре» is not confirmed here from a primary text) — and the link of an act
to its origin (a check, an evaluation, an analysis, or none).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nadzor.infra.db.metadata import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_SOURCE = ("Закон Республики Казахстан «О прокуратуре» (акты прокурорского надзора); Инструкция, утв. приказом "
           "Генерального Прокурора № 60, глава 4, п. 58. Статья Закона не подтверждена по первичному тексту: "
           "уточните.")
#: code, name_ru, name_kk
SEED = (
    ("protest", "Протест", "Наразылық"),
    ("representation", "Представление", "Ұсыну"),
    ("prescription", "Предписание", "Нұсқама"),
    ("resolution", "Постановление", "Қаулы"),
    ("other", "Иной акт надзора", "Өзге қадағалау актісі"),
)


def upgrade() -> None:
    table = op.create_table(
        "act_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.Column("name_kk", sa.String(length=200), nullable=False),
        sa.Column("legal_source", sa.Text(), nullable=False),
        sa.Column("response_term_days", sa.Integer(), nullable=True),
        sa.Column("response_term_unit", sa.String(length=10), nullable=True),
        sa.Column("response_term_source", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=120), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_act_types"),
        sa.UniqueConstraint("code", name="uq_act_types_code"),
    )
    op.bulk_insert(table, [{"code": code, "name_ru": ru, "name_kk": kk, "legal_source": _SOURCE, "version": 1}
                           for code, ru, kk in SEED])
    op.create_table(
        "act_origins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("origin_kind", sa.String(length=20), nullable=False),
        sa.Column("origin_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["act_id"], ["proceedings.id"], name="fk_act_origins_act_id_proceedings"),
        sa.ForeignKeyConstraint(["origin_id"], ["proceedings.id"], name="fk_act_origins_origin_id_proceedings"),
        sa.PrimaryKeyConstraint("id", name="pk_act_origins"),
        sa.UniqueConstraint("act_id", name="uq_act_origins_act_id"),
    )
    op.create_index("ix_act_origins_origin_id", "act_origins", ["origin_id"])


def downgrade() -> None:
    op.drop_table("act_origins")
    op.drop_table("act_types")
