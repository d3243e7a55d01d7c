{#- Per customer with a categorised completed order: the best category not yet bought, among the significant
    positive pairs of category_affinity (q < affinity_max_q_value, lift > 1) whose antecedent the customer
    bought, by lift x confidence; customers whose history is one category bought once are possible gifts and
    get no offer. Definitions: docs/decisions.md#next-category. -#}

with

order_categories as (

    select * from {{ ref('int_order_categories') }}

),

significant_pairs as (

    select * from {{ ref('category_affinity') }}
    where is_significant and lift > 1

),

affinity as (

    {#- The pairs in the order a customer's candidates are ranked in (a total order: a pair is unique by level,
        antecedent and consequent), so the best candidate of a customer is the one with the smallest rank: a
        min() per customer instead of sorting every customer's candidates. -#}
    select
        *,
        lift * confidence as next_category_score,
        row_number() over (
            order by lift * confidence desc, consequent_category asc, antecedent_category asc, affinity_level asc
        ) as pair_rank
    from significant_pairs

),

customer_categories as (

    select
        customer_id,
        product_category,
        count(*) as orders_with_category
    from order_categories
    group by customer_id, product_category

),

customer_histories as (

    select
        customer_id,
        count(*) as categories_bought,
        sum(orders_with_category) as category_orders
    from customer_categories
    group by customer_id

),

best_candidates as (

    {#- A pair qualifies when the customer bought A and never B; the best has the smallest pair_rank. -#}
    select
        bought.customer_id,
        min(affinity.pair_rank) as pair_rank
    from customer_categories as bought
    inner join affinity
        on bought.product_category = affinity.antecedent_category
    left join customer_categories as already
        on
            bought.customer_id = already.customer_id
            and affinity.consequent_category = already.product_category
    where already.customer_id is null
    group by bought.customer_id

),

best_pairs as (

    select
        best_candidates.customer_id,
        affinity.consequent_category as next_category,
        affinity.antecedent_category as because_of_category,
        affinity.affinity_level,
        affinity.lift,
        affinity.confidence,
        affinity.next_category_score
    from best_candidates
    inner join affinity
        on best_candidates.pair_rank = affinity.pair_rank

),

final as (

    {#- One category bought once (one order, one category): possibly a gift, so no product offer. -#}
    select
        histories.customer_id,
        histories.categories_bought,
        histories.categories_bought = 1 and histories.category_orders = 1 as is_possible_gift,
        case when not (histories.categories_bought = 1 and histories.category_orders = 1) then best.next_category end
            as next_category,
        case when not (histories.categories_bought = 1 and histories.category_orders = 1) then best.because_of_category end
            as because_of_category,
        case when not (histories.categories_bought = 1 and histories.category_orders = 1) then best.affinity_level end
            as affinity_level,
        case when not (histories.categories_bought = 1 and histories.category_orders = 1) then best.lift end as lift,
        case when not (histories.categories_bought = 1 and histories.category_orders = 1) then best.confidence end
            as confidence,
        case when not (histories.categories_bought = 1 and histories.category_orders = 1) then best.next_category_score end
            as next_category_score,
        case
            when histories.categories_bought = 1 and histories.category_orders = 1
                then 'possible_gift: one category bought once, no product offer'
            when best.next_category is null then 'no_significant_pair: no significant pair leads to a category not yet bought'
            else {{ dbt.concat(["'bought '", 'best.because_of_category', "' ('", 'best.affinity_level', "' pair)'"]) }}
        end as next_category_reason
    from customer_histories as histories
    left join best_pairs as best
        on histories.customer_id = best.customer_id

)

select * from final
