{#- Every raw order row, typed, with the reasons it cannot be used (null when it can).
    The after-as-of-date rule only applies when the as_of_date var is set: the default as-of date
    is the day after the latest valid order, so no valid order can be after it. -#}
{%- set as_of_var = drilldown.as_of_date_var() -%}
{%- set input = drilldown.input_source('raw_orders') -%}
{%- set kinds = input['kinds'] -%}

with

source as (

    {#- Every column of the input contract (_staging__sources.yml) as raw_<name>, from the user's table and
        columns (vars drilldown_*), null when an optional column is absent; no row when the input is not read. -#}
    {{ drilldown.input_source_select(input) }}

),

trimmed as (

    {#- Each raw value ready to check and parse, computed once: trimmed text (null when empty) for a text
        column, the value itself for a typed one (Parquet), which is not printed to text and parsed back. -#}
    select
        {{ drilldown.trimmed_text('raw_order_id', kinds.get('order_id')) }} as order_id,
        {{ drilldown.trimmed_text('raw_customer_id', kinds.get('customer_id')) }} as customer_id,
        {{ drilldown.trimmed_raw('raw_ordered_at', kinds.get('ordered_at')) }} as ordered_at_value,
        {{ drilldown.trimmed_raw('raw_amount', kinds.get('amount')) }} as amount_value,
        {{ drilldown.trimmed_raw('raw_gross_margin', kinds.get('gross_margin')) }} as gross_margin_value,
        {{ drilldown.trimmed_raw('raw_discount', kinds.get('discount')) }} as discount_value,
        coalesce(lower({{ drilldown.trimmed_text('raw_status', kinds.get('status')) }}), 'completed') as status,
        lower({{ drilldown.trimmed_text('raw_channel', kinds.get('channel')) }}) as channel,
        lower({{ drilldown.trimmed_text('raw_product_category', kinds.get('product_category')) }}) as product_category,
        raw_order_id,
        raw_customer_id,
        raw_ordered_at,
        raw_amount,
        raw_gross_margin,
        raw_discount,
        raw_status
    from source

),

typed as (

    select
        trimmed.*,
        {{ drilldown.parse_raw('trimmed.ordered_at_value', 'timestamp', kinds.get('ordered_at')) }} as ordered_at,
        {{ drilldown.parse_raw('trimmed.amount_value', 'decimal', kinds.get('amount')) }} as amount_parsed,
        {{ drilldown.parse_raw('trimmed.gross_margin_value', 'decimal', kinds.get('gross_margin')) }} as gross_margin_parsed,
        {{ drilldown.parse_raw('trimmed.discount_value', 'decimal', kinds.get('discount')) }} as discount_parsed
    from trimmed

),

ranked as (

    select
        *,
        {#- Deterministic duplicate rule: the earliest copy (then the smallest amount) of an order_id is kept.
            (Measured: flagging repeated ids with a group-by + join first was not faster in DuckDB than
            this one window, because the join has to carry every wide row.) -#}
        row_number() over (
            partition by order_id
            order by ordered_at, amount_parsed, customer_id, raw_ordered_at, raw_amount
        ) as order_id_copy_number
    from typed

),

checked as (

    select
        order_id,
        customer_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        {{ drilldown.money('amount_parsed', kinds.get('amount') == 'cents') }} as amount,
        {{ drilldown.money('gross_margin_parsed', kinds.get('gross_margin') == 'cents') }} as gross_margin,
        coalesce({{ drilldown.money('discount_parsed', kinds.get('discount') == 'cents') }}, 0) as discount,
        status,
        channel,
        product_category,
        raw_order_id,
        raw_customer_id,
        raw_ordered_at,
        raw_amount,
        raw_gross_margin,
        raw_discount,
        raw_status,
        {{ drilldown.concat_reasons([
            ("null_order_id", "order_id is null"),
            ("duplicate_order_id", "order_id is not null and order_id_copy_number > 1"),
            ("null_customer_id", "customer_id is null"),
            ("null_ordered_at", "ordered_at_value is null"),
            ("unparseable_ordered_at", "ordered_at_value is not null and ordered_at is null"),
            ("null_amount", "amount_value is null"),
            ("unparseable_amount", "amount_value is not null and amount_parsed is null"),
            ("negative_amount", "status = 'completed' and amount_parsed < 0"),
            ("unparseable_gross_margin", "gross_margin_value is not null and gross_margin_parsed is null"),
            ("unparseable_discount", "discount_value is not null and discount_parsed is null"),
            ("unknown_status", "status not in ('completed', 'cancelled', 'returned')"),
            ("ordered_after_as_of_date", "cast(ordered_at as date) > " ~ as_of_var if as_of_var else "false"),
        ], input) }} as quarantine_reasons
    from ranked

),

final as (

    {#- The raw values as text, for the quarantine table, only on quarantined rows. -#}
    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        amount,
        gross_margin,
        discount,
        status,
        channel,
        product_category,
        {{ drilldown.raw_text_when_quarantined(['order_id', 'customer_id', 'ordered_at', 'amount', 'gross_margin', 'discount', 'status']) }},
        quarantine_reasons
    from checked

)

select * from final
