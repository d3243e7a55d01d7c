{#- Every raw order line row, typed, with the reasons it cannot be used (null when it can). order_lines is
    optional as a whole. Validation needs the valid orders (a line of an unknown or quarantined order, and
    the order's status: a negative quantity or amount is only allowed on a cancelled or returned order).
    Rules: docs/decisions.md#order-lines. -#}
{%- set input = drilldown.input_source('raw_order_lines') -%}
{%- set kinds = input['kinds'] -%}

with

source as (

    {#- Every column of the input contract (_staging__sources.yml) as raw_<name>, from the user's table and
        columns (vars drilldown_*), null when an optional column is absent; no row when the input is not read. -#}
    {{ drilldown.input_source_select(input) }}

),

orders as (

    select
        order_id,
        is_completed
    from {{ ref('stg_shop__orders') }}

),

trimmed as (

    select
        {{ drilldown.trimmed_text('raw_order_id', kinds.get('order_id')) }} as order_id,
        {{ drilldown.trimmed_raw('raw_line_number', kinds.get('line_number')) }} as line_number_value,
        {{ drilldown.trimmed_text('raw_product_id', kinds.get('product_id')) }} as product_id,
        {{ drilldown.trimmed_text('raw_product_name', kinds.get('product_name')) }} as product_name,
        lower({{ drilldown.trimmed_text('raw_product_category', kinds.get('product_category')) }}) as product_category,
        {{ drilldown.trimmed_raw('raw_quantity', kinds.get('quantity')) }} as quantity_value,
        {{ drilldown.trimmed_raw('raw_line_amount', kinds.get('line_amount')) }} as line_amount_value,
        raw_order_id,
        raw_line_number,
        raw_product_id,
        raw_product_category,
        raw_quantity,
        raw_line_amount,
        raw_product_name
    from source

),

typed as (

    select
        trimmed.*,
        {{ drilldown.parse_raw('trimmed.line_number_value', 'integer', kinds.get('line_number')) }} as line_number,
        {{ drilldown.parse_raw('trimmed.quantity_value', 'integer', kinds.get('quantity')) }} as quantity,
        {{ drilldown.parse_raw('trimmed.line_amount_value', 'decimal', kinds.get('line_amount')) }} as line_amount_parsed
    from trimmed

),

ranked as (

    {#- A repeated (order_id, line_number): the first copy by product, quantity and amount as read is kept. -#}
    select
        typed.*,
        orders.order_id is not null as is_known_order,
        orders.is_completed,
        row_number() over (
            partition by typed.order_id, typed.line_number
            order by typed.raw_product_id, typed.raw_quantity, typed.raw_line_amount, typed.raw_product_category
        ) as line_copy_number
    from typed
    left join orders
        on typed.order_id = orders.order_id

),

checked as (

    select
        order_id,
        line_number,
        product_id,
        product_name,
        product_category,
        quantity,
        {{ drilldown.money('line_amount_parsed', kinds.get('line_amount') == 'cents') }} as line_amount,
        raw_order_id,
        raw_line_number,
        raw_product_id,
        raw_product_category,
        raw_quantity,
        raw_line_amount,
        raw_product_name,
        {{ drilldown.concat_reasons([
            ("null_order_id", "order_id is null"),
            ("unknown_order", "order_id is not null and not is_known_order"),
            ("null_line_number", "line_number_value is null"),
            ("unparseable_line_number", "line_number_value is not null and line_number is null"),
            ("duplicate_line", "order_id is not null and line_number is not null and line_copy_number > 1"),
            ("null_product_id", "product_id is null"),
            ("null_product_category", "product_category is null"),
            ("null_quantity", "quantity_value is null"),
            ("unparseable_quantity", "quantity_value is not null and quantity is null"),
            ("negative_quantity", "is_completed and quantity < 0"),
            ("null_line_amount", "line_amount_value is null"),
            ("unparseable_line_amount", "line_amount_value is not null and line_amount_parsed is null"),
            ("negative_line_amount", "is_completed and line_amount_parsed < 0"),
        ], input) }} as quarantine_reasons
    from ranked

),

final as (

    {#- The raw values as text, for the quarantine table, only on quarantined rows. -#}
    select
        order_id,
        line_number,
        product_id,
        product_name,
        product_category,
        quantity,
        line_amount,
        {{ drilldown.raw_text_when_quarantined(['order_id', 'line_number', 'product_id', 'product_category', 'quantity', 'line_amount', 'product_name']) }},
        quarantine_reasons
    from checked

)

select * from final
