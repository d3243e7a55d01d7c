{#- Ordered pairs of product categories (A -> B) at two levels, both counted on completed orders: 'basket' (the
    order holds A and B) and 'customer' (the order holds A and the same customer bought B in a later order at
    most affinity_window_days after it). Pairs are generated inside one order / one customer (self-joins on
    order_id / customer_id, the latter within a date bucket of the window's width), never across all orders.
    Counts, support, confidence, lift, conviction, a Pearson chi-square (1 df) p-value and its
    Benjamini-Hochberg q-value within the level. Definitions: docs/decisions.md#category-affinity. -#}
{%- set min_support = drilldown.project_var('affinity_min_support') -%}
{%- set window_days = drilldown.project_var('affinity_window_days') -%}
{%- set max_q_value = drilldown.project_var('affinity_max_q_value') -%}
{%- set double = drilldown.type_double() -%}

with

order_categories as (

    select * from {{ ref('int_order_categories') }}

),


order_category_rows as (

    {#- One row of each order is its order row (the first of its categories), so the order-level counts below
        need no distinct: an order categorised from orders.product_category has one row already (a tested
        invariant), only the orders categorised from their lines are numbered. Two branches, so that without
        order lines (the common case) no window runs at all. -#}
    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        product_category,
        true as is_order_row
    from order_categories
    where not is_from_lines
    union all
    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        product_category,
        row_number() over (partition by order_id order by product_category) = 1 as is_order_row
    from order_categories
    where is_from_lines

),

basket_category_counts as (

    select
        'basket' as affinity_level,
        product_category,
        count(*) as transactions_with_category
    from order_categories
    group by product_category

),

multi_category_orders as (

    {#- Only an order categorised from its lines can hold two categories; one categorised from
        orders.product_category holds one, so the self-join skips those (most orders when there are no lines). #}
    select
        order_id,
        product_category
    from order_categories
    where is_from_lines

),

basket_pairs as (

    select
        'basket' as affinity_level,
        antecedent.product_category as antecedent_category,
        consequent.product_category as consequent_category,
        count(*) as transactions_with_both
    from multi_category_orders as antecedent
    inner join multi_category_orders as consequent
        on
            antecedent.order_id = consequent.order_id
            and antecedent.product_category <> consequent.product_category
    group by antecedent.product_category, consequent.product_category

),

orders as (

    select
        order_id,
        customer_id,
        ordered_at,
        order_date
    from order_category_rows
    where is_order_row

),

customer_first_dates as (

    select
        customer_id,
        min(order_date) as first_order_date
    from orders
    group by customer_id

),

order_buckets as (

    {#- Each order x category A it holds, with the days since the customer's first order in buckets of
        window_days + 1 days: a later purchase at most window_days after an order lies in the order's bucket or
        the next one. -#}
    select
        order_rows.customer_id,
        order_rows.ordered_at,
        order_rows.order_date,
        order_rows.product_category,
        order_rows.is_order_row,
        cast(floor(
            {{ dbt.datediff('firsts.first_order_date', 'order_rows.order_date', 'day') }} / {{ window_days | int + 1 }}
        ) as integer) as date_bucket
    from order_category_rows as order_rows
    inner join customer_first_dates as firsts
        on order_rows.customer_id = firsts.customer_id

),

category_purchase_times as (

    select distinct
        customer_id,
        product_category,
        ordered_at,
        order_date
    from order_categories

),

category_purchases as (

    {#- Each time a customer bought a category, with the time they bought it before (null the first time). -#}
    select
        *,
        lag(ordered_at) over (partition by customer_id, product_category order by ordered_at) as previous_ordered_at
    from category_purchase_times

),

purchase_buckets as (

    select
        purchases.*,
        cast(floor(
            {{ dbt.datediff('firsts.first_order_date', 'purchases.order_date', 'day') }} / {{ window_days | int + 1 }}
        ) as integer) as date_bucket
    from category_purchases as purchases
    inner join customer_first_dates as firsts
        on purchases.customer_id = firsts.customer_id

),

purchase_lookups as (

    {#- A purchase is looked up from the orders of its own bucket and of the bucket before. -#}
    select
        customer_id,
        product_category,
        ordered_at,
        order_date,
        previous_ordered_at,
        date_bucket as order_bucket
    from purchase_buckets
    union all
    select
        customer_id,
        product_category,
        ordered_at,
        order_date,
        previous_ordered_at,
        date_bucket - 1 as order_bucket
    from purchase_buckets

),

customer_follow_ups as (

    {#- Each order x category A it holds x category B the same customer bought in a later order at most
        window_days after it, once: from the first purchase of B after the order (the one whose previous purchase
        of B is not after it; a later one is later still, so outside the window when the first is). Joined within
        the customer and the date bucket: an order meets the purchases of about two windows, not the customer's
        whole history. The order's categories ride along, so the pairs need no join back to the order. -#}
    select
        earlier.product_category as antecedent_category,
        later.product_category as consequent_category,
        earlier.is_order_row
    from order_buckets as earlier
    inner join purchase_lookups as later
        on
            earlier.customer_id = later.customer_id
            and earlier.date_bucket = later.order_bucket
            and earlier.ordered_at < later.ordered_at
            and (later.previous_ordered_at is null or earlier.ordered_at >= later.previous_ordered_at)
            and cast({{ dbt.dateadd('day', window_days, 'earlier.order_date') }} as date) >= later.order_date

),

follow_up_counts as (

    {#- Per A x B: the follow-ups (orders with A followed by B), and those on the order row (orders followed by
        B, each order counted once whatever it holds). -#}
    select
        antecedent_category,
        consequent_category,
        count(*) as follow_ups,
        sum(case when is_order_row then 1 else 0 end) as order_follow_ups
    from customer_follow_ups
    group by antecedent_category, consequent_category

),

basket_totals as (

    select
        'basket' as affinity_level,
        count(*) as transactions
    from orders

),

customer_totals as (

    select
        'customer' as affinity_level,
        count(*) as transactions
    from orders

),

customer_category_counts as (

    {#- Orders with A are the basket counts; here the orders followed by B. -#}
    select
        'customer' as affinity_level,
        consequent_category as product_category,
        cast(sum(order_follow_ups) as {{ dbt.type_bigint() }}) as transactions_with_category
    from follow_up_counts
    group by consequent_category

),

customer_pairs as (

    select
        'customer' as affinity_level,
        antecedent_category,
        consequent_category,
        follow_ups as transactions_with_both
    from follow_up_counts
    where antecedent_category <> consequent_category

),

totals as (

    select * from basket_totals
    union all
    select * from customer_totals

),

antecedent_counts as (

    {#- At both levels A is counted on orders. -#}
    select * from basket_category_counts
    union all
    select
        'customer' as affinity_level,
        product_category,
        transactions_with_category
    from basket_category_counts

),

consequent_counts as (

    select * from basket_category_counts
    union all
    select * from customer_category_counts

),

pairs as (

    select * from basket_pairs
    union all
    select * from customer_pairs

),

counted as (

    select
        pairs.affinity_level,
        pairs.antecedent_category,
        pairs.consequent_category,
        totals.transactions,
        antecedent_counts.transactions_with_category as transactions_with_antecedent,
        consequent_counts.transactions_with_category as transactions_with_consequent,
        pairs.transactions_with_both
    from pairs
    inner join totals
        on pairs.affinity_level = totals.affinity_level
    inner join antecedent_counts
        on
            pairs.affinity_level = antecedent_counts.affinity_level
            and pairs.antecedent_category = antecedent_counts.product_category
    inner join consequent_counts
        on
            pairs.affinity_level = consequent_counts.affinity_level
            and pairs.consequent_category = consequent_counts.product_category

),

as_doubles as (

    select
        *,
        cast(transactions as {{ double }}) as n_total,
        cast(transactions_with_antecedent as {{ double }}) as n_antecedent,
        cast(transactions_with_consequent as {{ double }}) as n_consequent,
        cast(transactions_with_both as {{ double }}) as n_both
    from counted

),

supported as (

    select
        *,
        n_both / n_total as support,
        n_antecedent / n_total as antecedent_support,
        n_consequent / n_total as consequent_support,
        n_both / n_antecedent as confidence
    from as_doubles
    where n_both / n_total >= {{ min_support }}

),

measured as (

    {#- Pearson chi-square of the 2x2 table (both, A only, B only, neither = n - nA - nB + nAB), no continuity
        correction: n (n nAB - nA nB)^2 / (nA (n - nA) nB (n - nB)); null when a margin is empty or the
        "neither" cell would be negative (it cannot be: both is the intersection at either level). -#}
    select
        *,
        confidence / consequent_support as lift,
        case when confidence < 1 then (1 - consequent_support) / (1 - confidence) end as conviction,
        case
            when
                n_antecedent < n_total
                and n_consequent < n_total
                and n_total - n_antecedent - n_consequent + n_both >= 0
                then
                    n_total * power(n_total * n_both - n_antecedent * n_consequent, 2)
                    / (n_antecedent * (n_total - n_antecedent) * n_consequent * (n_total - n_consequent))
        end as chi_square
    from supported

),

tested as (

    select
        *,
        {{ drilldown.chi_square_1df_p_value('chi_square') }} as p_value
    from measured

),

family_ranks as (

    {#- The family: every reported pair of the level with a p-value; m = its size, i = rank of the p-value
        (ties in category order: BH's adjusted values of tied p-values are equal whatever their order). -#}
    select
        *,
        count(*) over (partition by affinity_level, p_value is null) as family_size,
        row_number() over (
            partition by affinity_level, p_value is null
            order by p_value, antecedent_category, consequent_category
        ) as p_value_rank
    from tested

),

adjusted as (

    {#- Benjamini-Hochberg: running min of m / i p_(i) from the largest p-value, capped at 1. -#}
    select
        *,
        {{ drilldown.benjamini_hochberg(
            'p_value', 'family_size', 'p_value_rank', ['affinity_level', 'p_value is null'],
        ) }} as bh_running_min
    from family_ranks

),

final as (

    select
        affinity_level,
        antecedent_category,
        consequent_category,
        transactions,
        transactions_with_antecedent,
        transactions_with_consequent,
        transactions_with_both,
        support,
        antecedent_support,
        consequent_support,
        confidence,
        lift,
        conviction,
        chi_square,
        p_value,
        least(bh_running_min, 1) as q_value,
        coalesce(least(bh_running_min, 1) < {{ max_q_value }}, false) as is_significant,
        case when affinity_level = 'customer' then {{ window_days }} end as window_days
    from adjusted

)

select * from final
