{#- A statistic computed in steps, each naming the values the next one reads, as one SQL expression.
    steps: a list of {'name': alias, 'columns': [(name, expression), ...], 'where': condition or none}, first
    step first; a step's expressions read the previous step's names (a step passes a name on by listing
    (name, name)); 'where' is a condition on the step's own names: when it is false or null the result is
    null. result: the expression over the last step's names.
    Each step is computed once, whatever the number of times the next one reads its names (the statistics
    reuse them dozens of times; written out, the expressions grew exponentially): a scalar subquery over
    nested derived tables, each fenced by subquery_barrier() (Postgres), or on Spark nested lambdas (see
    spark__stats_steps). docs/decisions.md#statistics-in-sql -#}
{% macro stats_steps(steps, result) -%}
    {%- if steps is string or steps is not iterable or steps | length == 0 -%}
        {{ exceptions.raise_compiler_error("drilldown.stats_steps: steps must be a non-empty list of steps") }}
    {%- endif -%}
    {%- for step in steps -%}
        {%- if step is not mapping or not step.get('name') or not step.get('columns') -%}
            {{ exceptions.raise_compiler_error("drilldown.stats_steps: every step needs a name and columns, got " ~ step) }}
        {%- endif -%}
        {#- Within a step, no expression reads a name the same step gives a new value (Spark binds them in turn). -#}
        {%- for name, expression in step['columns'] -%}
            {%- for other, other_expression in step['columns'] if other != name and other_expression != other
                and modules.re.search('\\b' ~ other ~ '\\b', expression) -%}
                {{ exceptions.raise_compiler_error("drilldown.stats_steps: in step " ~ step['name'] ~ ", " ~ name ~ " reads " ~ other ~ ", which the same step redefines") }}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('stats_steps', 'drilldown')(steps, result)) }}
{%- endmacro %}

{% macro default__stats_steps(steps, result) -%}
    {%- set ns = namespace(sql='') -%}
    {%- for step in steps -%}
        {%- set columns = [] -%}
        {%- for name, expression in step['columns'] -%}
            {%- do columns.append(name if expression == name else expression ~ ' as ' ~ name) -%}
        {%- endfor -%}
        {%- set source = '' -%}
        {%- if not loop.first -%}
            {%- set previous = steps[loop.index0 - 1] -%}
            {%- set source = ' from (' ~ ns.sql ~ ') as ' ~ previous['name'] ~ (' where ' ~ previous['where'] if previous.get('where') else '') -%}
        {%- endif -%}
        {%- set ns.sql = 'select ' ~ columns | join(', ') ~ source ~ ' ' ~ drilldown.subquery_barrier() -%}
    {%- endfor -%}
    {%- set last = steps[-1] -%}
    (select {{ result }} from ({{ ns.sql }}) as {{ last['name'] }}{{ ' where ' ~ last['where'] if last.get('where') else '' }})
{%- endmacro %}

{#- Spark inlines a scalar subquery over one row into its caller, writing every name out again (or, with that
    off, joins a copy of the caller's whole plan per subquery), and the nested statistics grew the plan until
    the optimizer ran out of memory. A lambda variable is bound once and never substituted:
    element_at(transform(array(value), name -> rest), 1) is `rest` with `name` computed once. -#}
{% macro spark__stats_steps(steps, result) -%}
    {%- set ns = namespace(sql=result) -%}
    {%- for step in steps | reverse -%}
        {%- if step.get('where') -%}
            {%- set ns.sql = 'case when ' ~ step['where'] ~ ' then ' ~ ns.sql ~ ' end' -%}
        {%- endif -%}
        {%- for name, expression in step['columns'] | reverse if expression != name -%}
            {%- set ns.sql = 'element_at(transform(array(' ~ expression ~ '), ' ~ name ~ ' -> ' ~ ns.sql ~ '), 1)' -%}
        {%- endfor -%}
    {%- endfor -%}
    ({{ ns.sql }})
{%- endmacro %}
