"""session access version

Each session counts changes to who may be on its board (chair, minute taker,
attendance). A live connection keeps its checked access between changes and re-checks it
when this number has moved.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('access_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.drop_column('access_version')
