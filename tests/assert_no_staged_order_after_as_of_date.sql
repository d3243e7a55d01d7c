-- Staged orders are never dated after the as-of date (those rows are quarantined).
select
    orders.order_id,
    orders.order_date
from {{ ref('stg_shop__orders') }} as orders
where orders.order_date > {{ drilldown.as_of_date() }}
