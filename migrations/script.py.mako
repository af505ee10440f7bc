"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
import wagewatch.models._types
${imports if imports else ""}
% if not down_revision:
from wagewatch import partitions
from wagewatch.models import search
% endif

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}
% if not down_revision:
    search.create_indexes(op)  # pg_trgm indexes, PostgreSQL only
    partitions.create_initial(op)  # the punches' monthly partitions, PostgreSQL only
% endif


def downgrade():
% if not down_revision:
    search.drop_indexes(op)
% endif
    ${downgrades if downgrades else "pass"}
