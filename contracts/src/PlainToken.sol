// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title PlainToken — TEST TOKEN ONLY. Minimal ERC-20 (6 decimals) that emits only `Transfer`/`Approval`.
/// @notice Anyone can mint and burn anything: it exists so the daemon can be tested against a token that has
///         no `Mint`/`Burn` events (mints/burns seen only as Transfer from/to address(0)), and for benchmarks
///         (`mintMany`/`burnMany` emit one Transfer per iteration inside a single transaction).
///         Never deploy it anywhere that matters.
///
/// Storage layout:
///   slot 0: totalSupply                                   (uint256)
///   slot 1: balanceOf      mapping(address => uint256)
///   slot 2: allowance      mapping(address => mapping(address => uint256))
contract PlainToken {
    /// @dev SLOT 0 — must stay the first state variable.
    uint256 public totalSupply;
    /// @dev slot 1
    mapping(address => uint256) public balanceOf;
    /// @dev slot 2
    mapping(address => mapping(address => uint256)) public allowance;

    string public constant name = "Plain Test Token";
    string public constant symbol = "PLAIN";
    uint8 public constant decimals = 6;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);

    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 current = allowance[from][msg.sender];
        if (current != type(uint256).max) {
            if (current < amount) revert InsufficientAllowance(from, msg.sender, current, amount);
            unchecked {
                allowance[from][msg.sender] = current - amount;
            }
        }
        _move(from, to, amount);
        return true;
    }

    /// @notice Unrestricted. Emits `Transfer(address(0), to, amount)`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Unrestricted, no allowance needed. Emits `Transfer(from, address(0), amount)`.
    function burn(address from, uint256 amount) external {
        _burn(from, amount);
    }

    /// @notice Mints `amount` to `to`, `count` times, one Transfer log each (benchmarks).
    function mintMany(address to, uint256 amount, uint256 count) external {
        for (uint256 i = 0; i < count; ++i) {
            _mint(to, amount);
        }
    }

    /// @notice Burns `amount` from `from`, `count` times, one Transfer log each (benchmarks).
    function burnMany(address from, uint256 amount, uint256 count) external {
        for (uint256 i = 0; i < count; ++i) {
            _burn(from, amount);
        }
    }

    function _mint(address to, uint256 amount) private {
        totalSupply += amount; // checked
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function _burn(address from, uint256 amount) private {
        uint256 bal = balanceOf[from];
        if (bal < amount) revert InsufficientBalance(from, bal, amount);
        unchecked {
            balanceOf[from] = bal - amount;
        }
        totalSupply -= amount; // checked
        emit Transfer(from, address(0), amount);
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 bal = balanceOf[from];
        if (bal < amount) revert InsufficientBalance(from, bal, amount);
        unchecked {
            balanceOf[from] = bal - amount;
        }
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
