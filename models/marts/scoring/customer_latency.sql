{#- Latency per customer with at least one completed order: their own average gap, the trip wire of
    their frequency segment for their next gap, days since the last purchase, the expected next order
    date and the status (on_track / late / lapsed). See docs/decisions.md#latency. -#}
{%- set max_purchase_number = drilldown.project_var('latency_max_purchase_number') -%}

with

customer_measures as (

    select * from {{ ref('int_customer_as_of_measures') }}

),

trip_wires as (

    select * from {{ ref('latency_trip_wires') }}

),

customers_next_gap as (

    select
        customer_id,
        frequency_segment,
        purchase_days,
        first_order_date,
        last_order_date,
        least(purchase_days, {{ max_purchase_number }}) as next_from_purchase_number,
        {{ dbt.datediff('first_order_date', 'last_order_date', 'day') }} as purchase_span_days,
        recency_days
    from customer_measures

),

joined as (

    select
        customers_next_gap.*,
        trip_wires.gap_label as next_gap_label,
        trip_wires.expected_gap_days,
        trip_wires.trip_wire_days,
        trip_wires.lapsed_after_days
    from customers_next_gap
    left join trip_wires
        on
            customers_next_gap.frequency_segment = trip_wires.frequency_segment
            and customers_next_gap.next_from_purchase_number = trip_wires.from_purchase_number

),

final as (

    select
        customer_id,
        cast(frequency_segment as {{ dbt.type_string() }}) as frequency_segment,
        cast(purchase_days as integer) as purchase_days,
        first_order_date,
        last_order_date,
        case
            when purchase_days >= 2
                then purchase_span_days / cast(purchase_days - 1 as {{ drilldown.type_double() }})
        end as avg_gap_days,
        cast(next_gap_label as {{ dbt.type_string() }}) as next_gap_label,
        cast(expected_gap_days as {{ drilldown.type_double() }}) as expected_gap_days,
        cast(trip_wire_days as {{ drilldown.type_double() }}) as trip_wire_days,
        cast(lapsed_after_days as {{ drilldown.type_double() }}) as lapsed_after_days,
        recency_days,
        {#- floor(x + 0.5): round half up the same way on every adapter (Postgres rounds floats half to even). #}
        cast(
            {{ dbt.dateadd('day', 'cast(floor(expected_gap_days + 0.5) as integer)', 'last_order_date') }} as date
        ) as expected_next_order_date,
        cast(
            case
                when trip_wire_days is null then null
                when recency_days <= trip_wire_days then 'on_track'
                when recency_days <= lapsed_after_days then 'late'
                else 'lapsed'
            end as {{ dbt.type_string() }}
        ) as latency_status
    from joined

)

select * from final
